// 行政应诉 through the pages: 区司法局 registers a lawsuit against 区市场监管局
// (the defence deadline comes from the calendar rule litigation.defence),
// records the defence statement and the evidence, a hearing where the
// deputy in charge appeared (counted as 负责人出庭), and a lost judgement:
// the finding for the defendant unit appears, with the review of the act
// due; the hearing list behind the head-in-court rate shows the hearing as
// counted.
import { assert, screenshot } from './lib.mjs'
import { loginAs, uniq } from './flows.mjs'

const field = (scope, label, tag = 'input') => scope.locator('.el-form-item', { has: scope.page().locator(`.el-form-item__label:text-is("${label}")`) }).locator(tag).first()

async function cell(page, label) {
  const labelCell = page.locator('.el-descriptions__label', { hasText: label }).first()
  return (await labelCell.locator('xpath=following-sibling::td[1]').innerText()).trim()
}

/** Takes the step labelled label on the lawsuit page (today's date), filling fill(dialog) first. */
async function takeStep(page, label, fill) {
  await page.locator('.steps').getByRole('button', { name: label, exact: true }).first().click()
  const dialog = page.locator('.el-dialog:visible', { hasText: label })
  await dialog.waitFor()
  if (fill) await fill(dialog)
  await dialog.locator('[data-test="submit-step"]').click()
  await page.locator('.el-message--success', { hasText: `已办理：${label}` }).waitFor()
  await dialog.waitFor({ state: 'hidden' })
}

export const tests = [
  {
    name: '行政应诉：登记案件（答辩期限按日历）、答辩举证、分管负责人出庭、败诉（登记问题台账并复查）',
    async run({ page, baseURL }) {
      const plaintiff = `司马光${uniq().slice(-4)}`
      const act = `浏览器测试处罚决定${uniq()}`
      await loginAs(page, baseURL, 'sifaju')
      await page.goto(`${baseURL}/litigation`)
      await page.locator('[data-test="new-lawsuit"]').click()
      const dialog = page.locator('.el-dialog:visible', { hasText: '登记行政应诉案件' })
      await dialog.waitFor()
      await field(dialog, '受理法院').fill('清河区人民法院')
      await field(dialog, '案号').fill(`（2026）浙0102行初${uniq().slice(-4)}号`)
      await field(dialog, '原告').fill(plaintiff)
      await field(dialog, '联系电话').fill('13912345678')
      await field(dialog, '被告（单位）').click()
      await field(dialog, '被告（单位）').fill('区市场监管局')
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: /^区市场监管局$/ }).click()
      await field(dialog, '被诉行政行为').fill(act)
      await dialog.locator('[data-test="create"]').click()
      await page.waitForURL(/\/litigation\/\d+$/)

      // The defence deadline is the calendar's rule.
      const received = await cell(page, '收到起诉状副本')
      const calc = await page.evaluate(async (from) => (await fetch(`/api/calendar/deadline?rule=litigation.defence&from=${from}`)).json(), received)
      const due = await cell(page, '答辩举证期限')
      assert(due === calc.due, `答辩举证期限 "${due}", calendar says ${calc.due}`)
      // Before a hearing, the outcome is muted with its reason.
      const outcome = page.locator('.blocked').getByRole('button', { name: '登记裁判结果' })
      assert(await outcome.isDisabled(), 'the outcome step is not muted before a hearing')
      await screenshot(page, 'litigation-received')

      await takeStep(page, '提交答辩状')
      await takeStep(page, '提交证据和依据')
      assert((await cell(page, '答辩状')) === received || (await cell(page, '答辩状')) >= received, 'defence date recorded')

      // A hearing where the deputy in charge appeared.
      await page.locator('[data-test="add-hearing"]').click()
      const hd = page.locator('.el-dialog:visible', { hasText: '登记庭审' })
      await hd.waitFor()
      await hd.locator('[data-test="appearance"]').getByText('分管负责人出庭').click()
      await hd.locator('input[data-test="attendee"]').fill('李建国（分管副局长）')
      await hd.locator('[data-test="submit-hearing"]').click()
      await page.locator('.el-message--success', { hasText: '已登记出庭情况' }).waitFor()
      const row = page.locator('[data-test="hearings"] .el-table__row').first()
      await row.getByText('计入').waitFor()
      assert((await row.innerText()).includes('分管负责人出庭'), `hearing row ${await row.innerText()}`)

      await takeStep(page, '登记裁判结果', async (d) => {
        await d.locator('[data-test="outcome"]').click()
        await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: /^败诉$/ }).click()
        await field(d, '裁判要旨', 'textarea').fill('被诉处罚决定主要证据不足，判决撤销')
      })
      assert((await cell(page, '裁判结果')).startsWith('败诉'), 'outcome shown')
      await page.locator('[data-test="finding-link"]').waitFor()
      const review = await cell(page, '被诉行为复查')
      assert(review.includes('未办结'), `review ${review}`)
      await screenshot(page, 'litigation-lost')

      // The finding is in the ledger for the defendant unit.
      const href = await page.locator('[data-test="finding-link"]').getAttribute('href')
      await page.goto(`${baseURL}${href}`)
      await page.getByText(act).first().waitFor()
      await page.getByText('区市场监管局').first().waitFor()
      await screenshot(page, 'litigation-finding')

      // The hearing list behind the head-in-court rate counts it.
      await page.goto(`${baseURL}/litigation/hearings?head_counted=true`)
      await page.locator('.el-table__row', { hasText: '李建国（分管副局长）' }).first().waitFor()
      await screenshot(page, 'litigation-hearings')
      await page.goto(`${baseURL}/litigation/overview`)
      await page.getByText('行政机关负责人出庭应诉率').first().waitFor()
      await screenshot(page, 'litigation-overview')
    },
  },
]
