// The to-do centre (待办): a legality review step appears in the reviewer's
// list when it becomes theirs and leaves it when they act; the home page of
// each role shows its to-do card.
import { assert, screenshot } from './lib.mjs'
import { approveReview, loginAs, uniq } from './flows.mjs'

async function todoTitles(page) {
  return page.evaluate(async () => {
    const r = await (await fetch('/api/todo?page=1&page_size=100&module=legalreview')).json()
    return r.items.map((i) => i.title)
  })
}

export const tests = [
  {
    name: '审查步骤轮到我时出现在待办中，办理后消失',
    async run({ page, baseURL }) {
      const title = `待办测试合同审查${uniq()}`
      await loginAs(page, baseURL, 'clerk_sj')
      await page.goto(`${baseURL}/`)
      await page.locator('[data-test="home-todo"]').waitFor()
      await screenshot(page, 'home-clerk_sj')
      const created = await page.evaluate(async (title) => {
        const me = await (await fetch('/api/auth/me')).json()
        const d = new Date(Date.now() + 60 * 86400e3).toISOString().slice(0, 10)
        const r = await fetch('/api/legalreviews', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ kind: 'contract', title, unit_id: me.unit.id, requested_by: d, summary: '待办测试' }),
        })
        return { status: r.status, body: await r.json() }
      }, title)
      assert(created.status === 200 || created.status === 201, `review not created: ${JSON.stringify(created)}`)
      const reviewID = created.body.id

      await loginAs(page, baseURL, 'sifaju2')
      assert((await todoTitles(page)).includes(title), 'the first step is not in sifaju2\'s to-do list')
      await page.goto(`${baseURL}/todo`)
      // Every module's items share the list (overdue first, 20 a page): the
      // review's own tab shows it on the first page.
      await page.locator('.el-radio-button', { hasText: '合法性审查' }).click()
      const link = page.locator('[data-test="todo-link"]', { hasText: title })
      await link.waitFor()
      const badge = await page.locator('[data-test="todo-count"]').innerText()
      assert(/待办/.test(badge), `header shows no to-do count: ${badge}`)
      await screenshot(page, 'todo-centre')
      await link.click()
      await page.waitForURL((u) => new URL(u).pathname === `/legalreviews/${reviewID}`)

      await approveReview(page, baseURL, 'sifaju2', reviewID, '材料齐全，提请审查。')
      assert(!(await todoTitles(page)).includes(title), 'the step stays in sifaju2\'s list after approving it')
      await page.goto(`${baseURL}/todo`)
      await page.locator('[data-test="todo-list"]').waitFor()
      assert((await page.locator('[data-test="todo-link"]', { hasText: title }).count()) === 0, 'the to-do page still lists the finished step')
    },
  },
  {
    name: '各角色首页显示我的待办',
    async run({ page, baseURL }) {
      for (const user of ['sifaju', 'leader']) {
        await loginAs(page, baseURL, user)
        await page.goto(`${baseURL}/`)
        await page.locator('[data-test="home-todo"]').waitFor()
        await page.waitForTimeout(800)
        await screenshot(page, `home-${user}`)
      }
    },
  },
]
