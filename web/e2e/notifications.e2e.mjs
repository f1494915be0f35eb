// The notification bell and the notification list (PagedTable) against
// whatever notifications the server has for the demo user.
import { assert, DEMO_PASSWORD, DEMO_USERNAME, screenshot } from './lib.mjs'

async function login(page, baseURL) {
  await page.goto(`${baseURL}/login`)
  await page.getByPlaceholder('用户名').fill(DEMO_USERNAME)
  await page.getByPlaceholder('密码').fill(DEMO_PASSWORD)
  await page.getByPlaceholder('密码').press('Enter')
  await page.waitForURL((u) => new URL(u).pathname === '/')
}

export const tests = [
  {
    name: '消息铃铛显示未读数并可标为已读',
    async run({ page, baseURL }) {
      await login(page, baseURL)
      const before = await page.evaluate(async () => (await (await fetch('/api/notifications/unread_count')).json()).count)
      assert(Number.isInteger(before), `unread_count is not an integer: ${before}`)
      const badge = page.locator('[data-test="notification-bell"] .el-badge__content')
      if (before > 0) {
        await badge.waitFor()
        const shown = (await badge.innerText()).trim()
        assert(shown === (before > 99 ? '99+' : String(before)), `badge shows "${shown}", server says ${before}`)
      }
      await page.locator('[data-test="notification-bell"]').click()
      await page.getByText('未读消息').first().waitFor()
      if (before === 0) {
        await page.getByText('暂无未读消息').waitFor()
      } else {
        const item = page.locator('.el-popover .item').first()
        await item.waitFor()
        await screenshot(page, 'notifications-dropdown')
        await item.click()
        await page.waitForFunction(
          async (n) => (await (await fetch('/api/notifications/unread_count')).json()).count === n - 1,
          before,
          { timeout: 10_000 },
        )
      }

      await page.goto(`${baseURL}/notifications`)
      await page.locator('.paged-table .el-table').waitFor()
      await page.locator('.paged-table .el-pagination').getByText(/共 \d+ 条/).waitFor()
      const rows = await page.locator('.paged-table .el-table__body tr').count()
      const list = await page.evaluate(async () => (await (await fetch('/api/notifications?page=1&page_size=20')).json()))
      assert(rows === Math.min(list.total, 20), `table shows ${rows} rows, server has ${list.total}`)
      if (list.total === 0) await page.getByText('暂无数据').waitFor()
      await page.waitForTimeout(500) // let tag/badge transitions finish
      await screenshot(page, 'notifications')
    },
  },
]
