// 决策事项分类: the seeded categories listed, an empty name refused with the
// server's Chinese field error shown under the field, then a new category
// saved and listed.
import { assert, DEMO_PASSWORD, DEMO_USERNAME } from './lib.mjs'

const NAME = `浏览器测试类别${Date.now() % 100000}`

export const tests = [
  {
    name: '决策事项分类：列出默认类别，空名称报错，新增后列出',
    async run({ page, baseURL }) {
      await page.goto(`${baseURL}/login`)
      await page.getByPlaceholder('用户名').fill(DEMO_USERNAME)
      await page.getByPlaceholder('密码').fill(DEMO_PASSWORD)
      await page.getByRole('button', { name: '登 录' }).click()
      await page.waitForURL((u) => new URL(u).pathname === '/')

      await page.goto(`${baseURL}/decisions/categories`)
      const table = page.locator('[data-test="category-table"]')
      await table.getByText('公共服务').first().waitFor()
      const rows = await table.locator('.el-table__body tr').count()
      assert(rows >= 5, `seeded categories: ${rows} rows, want at least 5`)

      await page.locator('[data-test="new-category"]').click()
      const dialog = page.locator('.el-dialog:visible')
      await dialog.waitFor()
      await dialog.locator('[data-test="category-name"] input, input[data-test="category-name"]').first().fill('')
      await dialog.locator('[data-test="category-save"]').click()
      await dialog.locator('.el-form-item__error').filter({ hasText: '请填写类别名称' }).waitFor()

      await dialog.locator('[data-test="category-name"] input, input[data-test="category-name"]').first().fill(NAME)
      await dialog.locator('[data-test="category-kinds"] textarea, textarea[data-test="category-kinds"]').first().fill('种类甲\n种类乙')
      await dialog.locator('[data-test="category-save"]').click()
      await dialog.waitFor({ state: 'hidden' })
      const row = table.locator('.el-table__body tr').filter({ hasText: NAME })
      await row.waitFor()
      assert((await row.innerText()).includes('种类乙'), 'new category row shows its kinds')
    },
  },
]
