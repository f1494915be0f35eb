// 双随机、一公开 through the pages: 区市场监管局's clerk opens a new plan in
// the plan dialog; on the demo plan whose pools are ready the clerk
// publishes the commitment (snapshot hash and seed hash) and then draws;
// the public page (no sign-in) shows the revealed seed and the result, and
// its in-browser check re-runs the algorithm and says 一致.
import { assert, screenshot } from './lib.mjs'
import { loginAs, uniq } from './flows.mjs'

const field = (scope, label, tag = 'input') => scope.locator('.el-form-item', { has: scope.page().locator(`.el-form-item__label:text-is("${label}")`) }).locator(tag).first()

export const tests = [
  {
    name: '双随机抽查：新建计划、公布名录承诺、抽取、公开页面复核一致',
    async run({ page, baseURL }) {
      await loginAs(page, baseURL, 'clerk_sj')

      // 1. A new plan through the dialog.
      const title = `浏览器测试抽查计划${uniq()}`
      await page.goto(`${baseURL}/random-inspections/plans`)
      await page.locator('[data-test="new-plan"]').click()
      const dialog = page.locator('.el-dialog:visible', { hasText: '新建双随机抽查计划' })
      await dialog.waitFor()
      // Element Plus puts an el-input's attributes on its inner <input>.
      await dialog.locator('input[data-test="plan-title"]').fill(title)
      await dialog.locator('[data-test="plan-bodies"]').click()
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '清河区市场监督管理局' }).first().click()
      await dialog.locator('.el-dialog__title').click()
      await dialog.locator('[data-test="plan-matters"]').click()
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '企业公示信息抽查' }).first().click()
      await dialog.locator('.el-dialog__title').click()
      await dialog.locator('[data-test="plan-save"]').click()
      await page.locator('.el-message--success', { hasText: '已新建抽查计划' }).waitFor()
      await page.locator('[data-test="plan-status"]', { hasText: '编制中' }).waitFor()

      // 2. The demo plan with its pools ready: commit, then draw.
      const plans = await page.evaluate(async () => (await (await fetch('/api/random-inspections/plans?status=draft&page_size=100')).json()).items)
      const ready = plans.find((p) => p.title.includes('企业公示信息抽查（第二批）'))
      assert(ready && ready.entities > 0 && ready.inspectors >= 2, `no ready plan: ${JSON.stringify(plans.map((p) => p.title))}`)
      await page.goto(`${baseURL}/random-inspections/plans/${ready.id}`)
      await page.locator('[data-test="commit"]').click()
      await page.locator('.el-message-box__btns .el-button--primary').click()
      await page.locator('.el-message--success', { hasText: '已公布名录快照哈希与种子承诺值' }).waitFor()
      await page.locator('[data-test="plan-status"]', { hasText: '已公布名录承诺' }).waitFor()
      const hash = await page.locator('[data-test="snapshot-hash"]').innerText()
      assert(/^[0-9a-f]{64}$/.test(hash.trim()), `snapshot hash ${hash}`)
      await page.locator('[data-test="draw"]').click()
      await page.locator('.el-message-box__btns .el-button--primary').click()
      await page.locator('.el-message--success', { hasText: '已抽取' }).waitFor()
      await page.locator('[data-test="plan-status"]', { hasText: '已抽取' }).waitFor()
      await screenshot(page, 'randominspection-plan')

      // 3. The public page, signed out: the in-browser check says 一致.
      await page.context().clearCookies()
      await page.goto(`${baseURL}/public/random-inspections/${ready.id}`)
      await page.locator('[data-test="public-plan"]').waitFor()
      await page.locator('[data-test="verify"]').click()
      const verdict = page.locator('[data-test="verdict"]')
      await verdict.waitFor({ timeout: 30000 })
      const text = await verdict.innerText()
      assert(text.includes('一致') && !text.includes('不一致'), `verdict: ${text}`)
      await screenshot(page, 'randominspection-public')
    },
  },
]
