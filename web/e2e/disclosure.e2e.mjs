// 依申请公开 through the pages: 区市场监管局's clerk registers an in-person
// request received on the eve of 国庆 (the reply deadline is the calendar's
// rule disclosure.reply: 20 working days moved past the holiday, counting
// the make-up Saturday), tries to disclose without a secrecy review (refused
// by the service, in Chinese), answers 政府信息不存在 and downloads the reply
// letter as a Word document.
import { assert, screenshot } from './lib.mjs'
import { docxText, errorToast, loginAs, uniq } from './flows.mjs'

const RECEIVED = '2026-09-30'

const field = (scope, label, tag = 'input') => scope.locator('.el-form-item', { has: scope.page().locator(`.el-form-item__label:text-is("${label}")`) }).locator(tag).first()

async function cell(page, label) {
  const labelCell = page.locator('.el-descriptions__label', { hasText: new RegExp(`^${label}$`) }).first()
  return (await labelCell.locator('xpath=following-sibling::td[1]').innerText()).trim()
}

async function choose(page, scope, label, option) {
  // A non-filterable select: its input has no width, so click the box.
  await scope.locator('.el-form-item', { has: page.locator(`.el-form-item__label:text-is("${label}")`) }).locator('.el-select__wrapper').first().click()
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: option }).first().click()
}

async function step(page, title, fill) {
  await page.getByRole('button', { name: title, exact: true }).click()
  const dialog = page.locator('.el-dialog:visible', { hasText: title })
  await dialog.waitFor()
  await fill(dialog)
  await dialog.getByRole('button', { name: '确定' }).click()
  return dialog
}

export const tests = [
  {
    name: '依申请公开：当面登记（答复期限按日历跨国庆）、未经保密审查不得公开、答复“政府信息不存在”、下载答复书',
    async run({ page, baseURL }) {
      const content = `2026年本区电动自行车充电设施检查记录（浏览器测试 ${uniq()}）`
      await loginAs(page, baseURL, 'clerk_sj')
      await page.goto(`${baseURL}/disclosure`)
      await page.getByRole('button', { name: '登记申请' }).click()
      const dialog = page.locator('.el-dialog:visible', { hasText: '登记依申请公开申请' })
      await dialog.waitFor()
      await field(dialog, '办理机关').click()
      await field(dialog, '办理机关').fill('区市场监管局')
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: /^区市场监管局$/ }).click()
      await field(dialog, '申请人').fill('周德胜')
      await field(dialog, '联系电话').fill('13912345678')
      await field(dialog, '申请公开的信息', 'textarea').fill(content)
      await field(dialog, '申请日期').fill(RECEIVED)
      await field(dialog, '申请日期').press('Tab')
      await dialog.getByRole('button', { name: '登记', exact: true }).click()
      await page.waitForURL(/\/disclosure\/\d+$/)

      const calc = await page.evaluate(async (from) => (await fetch(`/api/calendar/deadline?rule=disclosure.reply&from=${from}`)).json(), RECEIVED)
      assert(calc.due > '2026-10-07', `calendar due ${calc.due} should move past 国庆`)
      const due = await cell(page, '答复期限')
      assert(due.startsWith(calc.due), `答复期限 "${due}", calendar says ${calc.due}`)
      const receipt = await cell(page, '收到申请之日')
      assert(receipt.includes('当面提交的，以提交之日为收到申请之日') && receipt.includes(RECEIVED), `receipt rule: ${receipt}`)
      const explain = await cell(page, '期限计算')
      assert(explain.includes('国庆') && explain.includes(calc.due), `explanation: ${explain}`)
      await screenshot(page, 'disclosure-registered')

      // Disclosing before the secrecy review is refused by the service.
      await step(page, '作出答复', async (d) => {
        await choose(page, d, '答复类型', '予以公开')
        await field(d, '答复内容', 'textarea').fill('现向您提供检查记录。')
      })
      const refusal = await errorToast(page)
      assert(refusal.includes('公开前须经保密审查'), `refusal: "${refusal}"`)
      await page.locator('.el-dialog:visible').getByRole('button', { name: '取消' }).click()

      // 政府信息不存在: no release, no secrecy review needed.
      await step(page, '作出答复', async (d) => {
        await field(d, '答复日期').fill('2026-10-20')
        await field(d, '答复日期').press('Tab')
        await choose(page, d, '答复类型', '政府信息不存在')
        await choose(page, d, '具体情形', '本机关不掌握相关政府信息')
        await field(d, '答复内容', 'textarea').fill('经检索本机关档案及业务系统，未找到该信息。')
      })
      await page.locator('.el-message--success', { hasText: '已办理' }).waitFor()
      const reply = await cell(page, '答复')
      assert(reply.includes('政府信息不存在') && reply.includes('按期'), `reply: ${reply}`)
      await screenshot(page, 'disclosure-replied')

      // The reply letter: a Word document served for this request.
      await page.getByRole('button', { name: '答复书（Word）' }).waitFor()
      const id = Number(new URL(page.url()).pathname.split('/').pop())
      const res = await page.evaluate(async (rid) => {
        const r = await fetch(`/api/disclosure/requests/${rid}/letter.docx`)
        const b = new Uint8Array(await r.arrayBuffer())
        return { status: r.status, type: r.headers.get('content-type'), bytes: Array.from(b) }
      }, id)
      assert(res.status === 200 && res.type.includes('wordprocessingml'), `letter: ${res.status} ${res.type}`)
      const text = docxText(Buffer.from(res.bytes))
      for (const s of ['政府信息公开申请答复书', '周德胜', content, '本机关不掌握相关政府信息', '第三十六条第（四）项', '区市场监管局']) {
        assert(text.includes(s), `letter lacks "${s}": ${text}`)
      }
    },
  },
]
