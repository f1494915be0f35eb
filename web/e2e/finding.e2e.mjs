// 问题台账 through the pages: 区司法局 registers a finding for 区市场监管局
// (the rectification deadline comes from the calendar: 30 days from
// 2026-09-01 ends on 国庆 and moves to the next working day); the unit's
// clerk tries an executable renamed .pdf (refused, in Chinese), uploads a
// real PDF as evidence and applies for close-out; the unit head and 区司法局
// approve through the chain and the finding is 已销号.
import { assert, screenshot } from './lib.mjs'
import { errorToast, loginAs, uniq, waitText } from './flows.mjs'

const FOUND_ON = '2026-09-01'

/** The input or textarea of the form item labelled label inside scope. */
const field = (scope, label, tag = 'input') => scope.locator('.el-form-item', { has: scope.page().locator(`.el-form-item__label:text-is("${label}")`) }).locator(tag).first()

/** The text of the descriptions cell labelled label. */
async function cell(page, label) {
  const labelCell = page.locator('.el-descriptions__label', { hasText: label }).first()
  return (await labelCell.locator('xpath=following-sibling::td[1]').innerText()).trim()
}

async function closeoutAct(page, baseURL, user, id, opinion) {
  await loginAs(page, baseURL, user)
  await page.goto(`${baseURL}/findings/${id}`)
  const review = page.locator('.review')
  await review.waitFor()
  await review.locator('textarea').fill(opinion)
  await review.getByRole('button', { name: '同意', exact: true }).click()
  await page.locator('.el-message--success', { hasText: '已提交' }).waitFor()
  await review.waitFor({ state: 'detached' })
}

export const tests = [
  {
    name: '问题整改：登记（期限按日历顺延）、拒收改名的可执行文件、上传佐证、申请销号、逐级审核、已销号',
    async run({ page, baseURL }) {
      const title = `农贸市场计量器具未按期检定（浏览器测试 ${uniq()}）`

      // 1. 区司法局 registers the finding for 区市场监管局.
      await loginAs(page, baseURL, 'sifaju')
      await page.goto(`${baseURL}/findings`)
      await page.getByRole('button', { name: '登记问题' }).click()
      const dialog = page.locator('.el-dialog:visible', { hasText: '登记问题' })
      await dialog.waitFor()
      await field(dialog, '问题标题').fill(title)
      await field(dialog, '问题描述', 'textarea').fill('抽查3家农贸市场，发现12台电子计价秤超过检定周期仍在使用。')
      await field(dialog, '来源编号').fill(`督察〔2026〕${uniq().slice(-3)}号`)
      await field(dialog, '责任单位').click()
      await field(dialog, '责任单位').fill('区市场监管局')
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: /^区市场监管局$/ }).click()
      await field(dialog, '发现日期').fill(FOUND_ON)
      await field(dialog, '发现日期').press('Tab')
      await dialog.getByRole('button', { name: '登记', exact: true }).click()
      await page.waitForURL(/\/findings\/\d+$/)
      const id = Number(new URL(page.url()).pathname.split('/').pop())

      // The deadline is the calendar's: 30 days from 2026-09-01, moved off the 国庆 holiday.
      const calc = await page.evaluate(async (from) => (await fetch(`/api/calendar/deadline?rule=finding.rectify&from=${from}`)).json(), FOUND_ON)
      assert(calc.due > '2026-10-01', `calendar due ${calc.due} should move past 国庆`)
      const due = await cell(page, '整改期限')
      assert(due.startsWith(calc.due), `整改期限 "${due}", calendar says ${calc.due}`)
      assert((await cell(page, '责任单位')) === '区市场监管局', 'responsible unit')
      const explain = await cell(page, '期限计算')
      assert(explain.includes(`${FOUND_ON} 起算`) && explain.includes(calc.due), `explanation: ${explain}`)
      await screenshot(page, 'finding-registered')

      // 2. The unit's clerk: an executable renamed .pdf is refused, a real PDF is stored.
      await loginAs(page, baseURL, 'clerk_sj')
      await page.goto(`${baseURL}/findings/${id}`)
      await page.getByRole('button', { name: '上传佐证材料' }).waitFor()
      const fileInput = page.locator('input[type="file"]')
      const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00', 'latin1'), Buffer.alloc(200, 0)])
      await fileInput.setInputFiles({ name: '整改报告.pdf', mimeType: 'application/pdf', buffer: exe })
      const refusal = await errorToast(page)
      assert(refusal.includes('整改报告.pdf') && refusal.includes('可执行程序') && refusal.includes('禁止上传'), `refusal: "${refusal}"`)
      await screenshot(page, 'finding-exe-refused')
      assert((await page.locator('.el-table__row', { hasText: '整改报告.pdf' }).count()) === 0, 'the refused file is listed')

      const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1')
      await fileInput.setInputFiles({ name: '计价秤检定证书.pdf', mimeType: 'application/pdf', buffer: pdf })
      const row = page.locator('.el-table__row', { hasText: '计价秤检定证书.pdf' })
      await row.waitFor()
      assert((await row.innerText()).includes('PDF'), `evidence row: ${await row.innerText()}`)

      // 3. Report the rectification and apply for close-out.
      await page.getByRole('button', { name: '报送整改情况并申请销号' }).click()
      const rect = page.locator('.el-dialog:visible', { hasText: '整改措施' })
      await rect.waitFor()
      assert((await rect.locator('.el-alert').count()) === 0, 'the dialog still asks for evidence after an upload')
      await field(rect, '整改措施', 'textarea').fill('12台计价秤已全部送检并取得检定证书；建立计量器具检定台账，每季度检查一次。')
      // The rectification date is required by the service and prefilled with today.
      const rectifiedOn = await rect.locator('[data-test="rectified-on"] input, input[data-test="rectified-on"]').first().inputValue()
      assert(/^\d{4}-\d{2}-\d{2}$/.test(rectifiedOn), `rectification date not prefilled: "${rectifiedOn}"`)
      await rect.getByRole('button', { name: '提交' }).click()
      await page.locator('.el-message--success', { hasText: '已申请销号' }).waitFor()
      await page.getByText('销号审核：').waitFor()

      // 4. The chain: the unit head, then 区司法局.
      await closeoutAct(page, baseURL, 'head_sj', id, '整改措施已落实，同意申请销号。')
      await closeoutAct(page, baseURL, 'sifaju', id, '经核查佐证材料，整改到位，同意销号。')
      await waitText(page.locator('.el-page-header .el-tag'), '已销号')
      const closedOn = await cell(page, '销号日期')
      assert(/^\d{4}-\d{2}-\d{2}$/.test(closedOn), `销号日期 "${closedOn}"`)
      // Both close-out steps show as finished.
      const done = await page.locator('.el-steps .el-step__head.is-success').count()
      assert(done === 2, `${done} close-out steps shown as finished, want 2`)
      const events = await page.locator('.el-timeline').innerText()
      assert(events.includes('已销号') && events.includes('经核查佐证材料'), `timeline: ${events}`)
      await page.waitForTimeout(300)
      await screenshot(page, 'finding-closed')
    },
  },
]
