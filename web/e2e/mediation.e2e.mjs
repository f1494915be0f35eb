// 人民调解 through the pages: 城关街道's clerk registers a dispute at
// 东门社区人民调解委员会, cannot record an agreement before a mediation
// session (the button is not offered and the service refuses it), records
// the session and a written agreement — the judicial-confirmation window is
// the calendar rule's 30 days from the agreement — applies for confirmation,
// records the court's ruling and a follow-up that finds it fulfilled; the
// district leader reads the case with the parties masked.
import { assert, screenshot } from './lib.mjs'
import { errorToast, loginAs, uniq } from './flows.mjs'

const field = (scope, label, tag = 'input') => scope.locator('.el-form-item', { has: scope.page().locator(`.el-form-item__label:text-is("${label}")`) }).locator(tag).first()

async function cell(page, label) {
  const labelCell = page.locator('.el-descriptions__label').filter({ hasText: new RegExp(`^${label}$`) }).first()
  return (await labelCell.locator('xpath=following-sibling::td[1]').innerText()).trim()
}

async function step(page, button, fill) {
  await page.getByRole('button', { name: button, exact: true }).click()
  const dialog = page.locator('.el-dialog:visible')
  await dialog.waitFor()
  await fill(dialog)
  await dialog.getByRole('button', { name: '保存', exact: true }).click()
  await page.locator('.el-message--success', { hasText: '已保存' }).last().waitFor()
  await dialog.waitFor({ state: 'hidden' })
}

export const tests = [
  {
    name: '人民调解：受理登记、未调解不能登记协议、调解、书面协议（司法确认期限 30 日）、申请司法确认、确认有效、回访履行、领导脱敏查看',
    async run({ page, baseURL }) {
      const parties = `周某${uniq()}、吴某`
      await loginAs(page, baseURL, 'clerk_town01')
      await page.goto(`${baseURL}/mediation/cases`)
      await page.getByRole('button', { name: '受理登记' }).click()
      const dialog = page.locator('.el-dialog:visible', { hasText: '受理登记' })
      await dialog.waitFor()
      await field(dialog, '调解委员会').click()
      await field(dialog, '调解委员会').fill('东门社区')
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: /^东门社区人民调解委员会$/ }).click()
      await field(dialog, '当事人').fill(parties)
      await field(dialog, '联系电话').fill('13812345678')
      await field(dialog, '纠纷简要情况', 'textarea').fill('楼上装修漏水致楼下墙面受损，赔偿数额争议')
      await dialog.getByRole('button', { name: '受理登记', exact: true }).click()
      await page.waitForURL(/\/mediation\/cases\/\d+$/)
      const id = Number(new URL(page.url()).pathname.split('/').pop())
      assert((await page.getByRole('button', { name: '达成协议' }).count()) === 0, 'agreement offered before a session')

      // The service refuses an agreement before any session, whatever the page offers.
      const refused = await page.evaluate(async (id) => {
        const c = await (await fetch(`/api/mediation/cases/${id}`)).json()
        const r = await fetch(`/api/mediation/cases/${id}/agreement`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ version: c.version, day: c.received_on, form: 'oral', terms: '和解' }) })
        return { status: r.status, body: await r.json() }
      }, id)
      assert(refused.status >= 400 && refused.body.message.includes('尚未记录调解过程'), `agreement before session: ${JSON.stringify(refused)}`)

      await step(page, '记录调解', (d) => field(d, '调解情况', 'textarea').fill('听取双方陈述，现场查看漏水点'))
      await step(page, '达成协议', (d) => field(d, '协议内容', 'textarea').fill('楼上住户于十日内赔偿墙面修复费 2,400 元'))
      const today = await cell(page, '结案日期')
      const calc = await page.evaluate(async (from) => (await fetch(`/api/calendar/deadline?rule=mediation.confirm&from=${from}`)).json(), today)
      const due = await cell(page, '申请司法确认期限')
      assert(due.startsWith(calc.due), `confirmation window "${due}", calendar says ${calc.due}`)
      await screenshot(page, 'mediation-agreement')

      await step(page, '申请司法确认', (d) => field(d, '受理法院').fill('清河区人民法院'))
      await step(page, '登记确认结果', async () => {})
      await step(page, '回访', async (d) => {
        await d.locator('.el-form-item', { has: page.locator('.el-form-item__label:text-is("履行情况")') }).locator('.el-select__wrapper').click()
        await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: /^已履行$/ }).click()
        await field(d, '情况说明', 'textarea').fill('电话回访，赔偿款已支付')
      })
      assert((await cell(page, '司法确认')).includes('确认有效'), 'confirmation recorded')
      assert((await cell(page, '履行情况')).includes('已履行'), 'fulfilment recorded')
      const steps = await page.locator('.el-timeline-item').count()
      assert(steps === 6, `${steps} steps on the timeline`)
      await screenshot(page, 'mediation-fulfilled')

      // The leader reads it masked and is offered no step.
      await loginAs(page, baseURL, 'leader')
      await page.goto(`${baseURL}/mediation/cases/${id}`)
      await page.locator('.el-descriptions').waitFor()
      const shown = await cell(page, '当事人')
      assert(shown.startsWith('周*') && !shown.includes(parties.split('、')[0].slice(1)), `leader sees parties "${shown}"`)
      assert((await cell(page, '联系电话')) === '138****5678', 'phone masked')
      assert((await page.getByRole('button', { name: '回访' }).count()) === 0, 'leader offered a step')
      void errorToast
    },
  },
]
