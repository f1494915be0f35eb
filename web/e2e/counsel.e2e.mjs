// 法律顾问 through the pages: the 司法局 reads the coverage page and takes the
// first unit listed without an adviser, adds an adviser to the pool, engages
// them for that unit (the unit leaves the gap list and the covered count
// rises), records a written opinion for it, and records the yearly
// "five unified" evaluation of a year the contract covers.
import { assert, screenshot } from './lib.mjs'
import { loginAs, todayShanghai, uniq, waitText } from './flows.mjs'

const field = (scope, label, tag = 'input') => scope.locator('.el-form-item', { has: scope.page().locator(`.el-form-item__label:text-is("${label}")`) }).locator(tag).first()
const exact = (s) => new RegExp(`^${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)

async function pick(page, scope, label, text) {
  await field(scope, label).click()
  await field(scope, label).fill(text)
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: exact(text) }).first().click()
}

async function choose(page, scope, label, text) {
  // A non-filterable select: click its box, then the option.
  await scope.locator('.el-form-item', { has: page.locator(`.el-form-item__label:text-is("${label}")`) }).locator('.el-select__wrapper').first().click()
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: exact(text) }).first().click()
}

async function dialogStep(page, button, fill) {
  await page.getByRole('button', { name: button, exact: true }).click()
  const dialog = page.locator('.el-dialog:visible')
  await dialog.waitFor()
  await fill(dialog)
  await dialog.getByRole('button', { name: '保存', exact: true }).click()
  await page.locator('.el-message--success', { hasText: '已保存' }).last().waitFor()
  await dialog.waitFor({ state: 'hidden' })
}

async function coverage(page, baseURL) {
  await page.goto(`${baseURL}/counsel/coverage`)
  const sum = await waitText(page.locator('.sum'), '覆盖率')
  const covered = Number(/已配备 (\d+) 个/.exec(sum)[1])
  const gaps = await page.locator('[data-test="gaps"] .el-table__body tr td:first-child').allInnerTexts()
  return { covered, gaps: gaps.map((g) => g.trim()) }
}

export const tests = [
  {
    name: '法律顾问：覆盖情况列出未配备单位、选聘入库、签订聘用合同后该单位不再缺、登记工作记录、年度考核（五统一）',
    async run({ page, baseURL }) {
      const name = `浏览器测试顾问${uniq()}`
      const today = todayShanghai()
      const year = Number(today.slice(0, 4))
      await loginAs(page, baseURL, 'sifaju')

      const before = await coverage(page, baseURL)
      assert(before.gaps.length > 0, 'the demo district has units without an adviser')
      const gap = before.gaps[0]
      await screenshot(page, 'counsel-coverage-gaps')

      await page.goto(`${baseURL}/counsel/advisers`)
      await page.getByRole('button', { name: '选聘入库' }).click()
      const create = page.locator('.el-dialog:visible', { hasText: '法律顾问选聘入库' })
      await create.waitFor()
      await pick(page, create, '管理单位', '区司法局')
      await field(create, '姓名').fill(name)
      await field(create, '执业机构').fill('清河浏览器测试律师事务所')
      await field(create, '执业证号').fill(`1310120${uniq()}`)
      await create.getByRole('button', { name: '入库', exact: true }).click()
      await page.waitForURL(/\/counsel\/advisers\/\d+$/)
      const adviserURL = page.url()

      // Engaged for the gap unit over last year and this one.
      await dialogStep(page, '签订聘用合同', async (d) => {
        await pick(page, d, '服务单位', gap)
        await field(d, '聘期起').fill(`${year - 1}-01-01`)
        await field(d, '聘期起').press('Tab')
        await field(d, '聘期止').fill(`${year}-12-31`)
        await field(d, '聘期止').press('Tab')
        await field(d, '报酬（元）').fill('24000')
      })
      const contracts = await page.locator('h4:has-text("聘用合同") + .el-table').innerText()
      assert(contracts.includes(gap) && contracts.includes('有效'), `contracts: ${contracts}`)

      const after = await coverage(page, baseURL)
      assert(!after.gaps.includes(gap), `${gap} still listed as a gap`)
      assert(after.covered === before.covered + 1, `covered ${before.covered} → ${after.covered}`)

      // A written opinion for the unit served.
      const title = `关于${gap}集体合同的法律意见（${uniq()}）`
      await page.goto(adviserURL)
      await dialogStep(page, '登记工作', async (d) => {
        await choose(page, d, '服务单位', gap)
        await choose(page, d, '类别', '出具书面法律意见')
        await field(d, '事项').fill(title)
      })
      await waitText(page.locator('h4:has-text("工作记录") + .el-table'), title)

      // The yearly evaluation: this year from 1 December, else last year.
      const evalYear = today.slice(5, 7) === '12' ? year : year - 1
      await dialogStep(page, '年度考核', async (d) => {
        await field(d, '考核年度').fill(String(evalYear))
        await field(d, '考核年度').press('Tab')
        await field(d, '统一考核得分').fill('91')
        await field(d, '统一考核得分').press('Tab')
        await choose(page, d, '等次', '优秀')
      })
      const evals = await waitText(page.locator('h4:has-text("年度考核") + .el-table'), String(evalYear))
      assert(evals.includes('91') && evals.includes('优秀') && evals.includes('✓ ✓ ✓ ✓'), `evaluations: ${evals}`)
      await screenshot(page, 'counsel-adviser')

      // The work list shows the record.
      await page.goto(`${baseURL}/counsel/works`)
      await waitText(page.locator('.el-table__body'), title)
      await screenshot(page, 'counsel-works')
    },
  },
]
