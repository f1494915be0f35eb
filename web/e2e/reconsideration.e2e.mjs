// 行政复议 through the pages, from the application to the published
// decision: 区司法局 registers an application against 区市场监管局 (the
// acceptance clock comes from the calendar), finds 发送答复通知书 muted with
// its reason before acceptance, accepts, sends the copy, records the reply,
// decides 撤销 (a finding is raised for the respondent), downloads the
// decision letter and publishes it; the public API shows the decision with
// the applicant's name and personal data removed. The respondent's clerk
// reads its unit's cases with personal data masked.
import { assert, screenshot } from './lib.mjs'
import { loginAs, uniq } from './flows.mjs'

const field = (scope, label, tag = 'input') => scope.locator('.el-form-item', { has: scope.page().locator(`.el-form-item__label:text-is("${label}")`) }).locator(tag).first()

async function cell(page, label) {
  const labelCell = page.locator('.el-descriptions__label', { hasText: label }).first()
  return (await labelCell.locator('xpath=following-sibling::td[1]').innerText()).trim()
}

/** Takes the step labelled label on the case page (today's date), filling fill(dialog) first. */
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
    name: '行政复议：登记申请（受理期限按日历）、受理、答复、作出撤销决定（登记问题台账）、下载决定书、公开（去除个人信息）',
    async run({ page, baseURL }) {
      const applicant = `欧阳明${uniq().slice(-4)}`
      const act = `浏览器测试罚款决定${uniq()}`
      await loginAs(page, baseURL, 'sifaju')
      await page.goto(`${baseURL}/reconsideration`)
      await page.getByRole('button', { name: '登记复议申请' }).click()
      const dialog = page.locator('.el-dialog:visible', { hasText: '登记行政复议申请' })
      await dialog.waitFor()
      await field(dialog, '申请人').fill(applicant)
      await field(dialog, '身份证件号码').fill('110101199003075678')
      await field(dialog, '联系电话').fill('13912345678')
      await field(dialog, '被申请人').click()
      await field(dialog, '被申请人').fill('区市场监管局')
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: /^区市场监管局$/ }).click()
      await field(dialog, '被申请的行政行为').fill(act)
      await field(dialog, '行政行为文书号').fill('清市监罚〔2026〕88号')
      await dialog.getByRole('button', { name: '登记', exact: true }).click()
      await page.waitForURL(/\/reconsideration\/\d+$/)
      const id = Number(new URL(page.url()).pathname.split('/').pop())

      // The acceptance clock is the calendar's rule.
      const received = (await cell(page, '申请方式')).split('，')[1].split(' ')[0]
      const calc = await page.evaluate(async (from) => (await fetch(`/api/calendar/deadline?rule=reconsideration.accept&from=${from}`)).json(), received)
      const due = await cell(page, '当前期限')
      assert(due === `受理审查：${calc.due}`, `当前期限 "${due}", calendar says ${calc.due}`)
      // The step the case waits for is emphasised; a later one is muted with its reason.
      const accept = page.locator('.steps').getByRole('button', { name: '决定受理', exact: true })
      assert((await accept.getAttribute('class')).includes('el-button--primary'), '决定受理 is not emphasised')
      const copy = page.locator('.blocked').getByRole('button', { name: '发送答复通知书及申请书副本' })
      assert(await copy.isDisabled(), 'the copy step is not muted before acceptance')
      await screenshot(page, 'reconsideration-received')

      await takeStep(page, '决定受理')
      await takeStep(page, '发送答复通知书及申请书副本')
      await takeStep(page, '收到答复和证据')
      await takeStep(page, '作出复议决定', async (d) => {
        await d.locator('.el-form-item', { has: page.locator('.el-form-item__label:text-is("决定类型")') }).locator('.el-select').click()
        await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: /^撤销$/ }).click()
        await field(d, '决定书文号').fill(`清府复决〔2026〕${uniq().slice(-4)}号`)
        await field(d, '决定理由', 'textarea').fill(`被申请人对${applicant}作出处罚前未告知陈述、申辩权利，违反法定程序。`)
      })
      assert((await cell(page, '复议决定')).startsWith('撤销'), 'decision shown')
      await page.getByText('纠错决定已登记问题台账').waitFor()
      const [letter] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载决定书（Word）' }).click()])
      assert(letter.suggestedFilename().endsWith('.docx'), `letter ${letter.suggestedFilename()}`)
      await takeStep(page, '公开决定书')
      await screenshot(page, 'reconsideration-published')

      // Published without personal data.
      const pub = await page.evaluate(async (id) => (await fetch(`/api/public/reconsideration-decisions/${id}`)).json(), id)
      assert(pub.outcome_label === '撤销' && pub.applicant === '欧某', `public applicant ${pub.applicant}`)
      const text = JSON.stringify(pub)
      assert(!text.includes(applicant) && !text.includes('110101199003075678') && !text.includes('13912345678'), `public decision shows personal data: ${text}`)
    },
  },
  {
    name: '行政复议：被申请人经办人查看本单位案件（个人信息脱敏，不能办理）',
    async run({ page, baseURL }) {
      await loginAs(page, baseURL, 'clerk_sj')
      // A reused session leaves the page blank: open the site so the relative fetch has an origin.
      await page.goto(`${baseURL}/`)
      const list = await page.evaluate(async () => (await fetch('/api/reconsiderations?page_size=5')).json())
      assert(list.items.length > 0, 'the clerk sees no case of 区市场监管局')
      const c = list.items[0]
      assert(c.masked && c.unit_name === '区市场监管局', `list item ${JSON.stringify(c)}`)
      await page.goto(`${baseURL}/reconsideration/${c.id}`)
      const name = await cell(page, '申请人')
      assert(name === c.applicant_name, `applicant ${name}`)
      const idNo = await cell(page, '身份证件号码')
      assert(idNo.includes('已脱敏') || idNo === '—', `clerk sees ${idNo}`)
      if (c.applicant_id_number) assert(idNo.includes('*'), `ID number not masked: ${idNo}`)
      assert((await page.locator('.steps').count()) === 0, 'a reader sees steps')
      await screenshot(page, 'reconsideration-clerk')
    },
  },
]
