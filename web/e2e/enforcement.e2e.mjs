// 行政执法监督 through the pages: 区市场监管局's clerk registers an officer
// on the roster page, a case is entered with that officer alone (the form's
// API), the case page shows the rule warning (fewer than two certified
// officers) and masks the party's ID number for the clerk, and the rules
// page lists the case behind the rule.
import { assert } from './lib.mjs'
import { fillDate, fillTest, loginAs, todayShanghai, uniq, waitText } from './flows.mjs'

const field = (scope, label, tag = 'input') => scope.locator('.el-form-item', { has: scope.page().locator(`.el-form-item__label:text-is("${label}")`) }).locator(tag).first()

export const tests = [
  {
    name: '行政执法：登记执法人员、登记案件、规则预警可见（当事人信息脱敏）',
    async run({ page, baseURL }) {
      const cert = `E2E-${uniq()}`
      const name = '浏览器测试员'
      await loginAs(page, baseURL, 'clerk_sj')

      // 1. The officer, through the roster page.
      await page.goto(`${baseURL}/enforcement/officers`)
      await page.getByRole('button', { name: '登记执法人员' }).click()
      const dialog = page.locator('.el-dialog:visible', { hasText: '登记执法人员' })
      await dialog.waitFor()
      await field(dialog, '所在单位').click()
      await field(dialog, '所在单位').fill('区市场监管局')
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: /^区市场监管局$/ }).click()
      await field(dialog, '姓名').fill(name)
      await field(dialog, '执法证号').fill(cert)
      await field(dialog, '发证机关').fill('清河市人民政府')
      await field(dialog, '发证日期').fill('2024-01-01')
      await field(dialog, '发证日期').press('Tab')
      await field(dialog, '有效期至').fill('2030-12-31')
      await field(dialog, '有效期至').press('Tab')
      await dialog.getByRole('button', { name: '登记', exact: true }).click()
      await page.locator('.el-message--success', { hasText: '已登记' }).waitFor()

      // 2. A case with this officer alone.
      const c = await page.evaluate(async ({ cert }) => {
        const officers = await (await fetch(`/api/enforcement/officers?q=${encodeURIComponent(cert)}`)).json()
        const bodies = await (await fetch('/api/enforcement/bodies')).json()
        const body = bodies.items.find((b) => b.name === '清河区市场监督管理局')
        const res = await fetch('/api/enforcement/cases', {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ body_id: body.id, kind: 'penalty', title: '浏览器测试：销售过期食品', party_type: 'person', party_name: '赵六',
            party_id_no: '110101199003071234', procedure: 'general', amount_fen: 300000, filed_on: '2026-03-02', decided_on: '2026-04-01',
            disclosed_on: '2026-04-02', officer_ids: [officers.items[0].id] }),
        })
        return { status: res.status, body: await res.json() }
      }, { cert })
      assert(c.status === 201, `case create ${c.status} ${JSON.stringify(c.body)}`)

      // 3. The case page shows the warning and masks the ID number.
      await page.goto(`${baseURL}/enforcement/cases/${c.body.id}`)
      await waitText(page.locator('.el-alert').first(), '持有效执法证的执法人员少于两人')
      const id = await page.locator('.el-descriptions__label', { hasText: '证件号码' }).locator('xpath=following-sibling::td[1]').innerText()
      assert(!id.includes('19900307') && id.includes('已脱敏'), `ID number shown to the clerk: ${id}`)

      // 4. The rules page lists the case behind the rule.
      await page.goto(`${baseURL}/enforcement/rules?rule=enforcement.two_officers&status=open`)
      await page.locator('[data-test="rules"]').waitFor()
      await page.locator('.el-table__row', { hasText: c.body.code }).first().waitFor()
    },
  },
  {
    name: '涉企处罚报备：报备 → 司法局确认 → 登记决定；包容审慎监管各页面',
    async run({ page, baseURL }) {
      const title = `浏览器测试：涉企处罚报备${uniq()}`
      await loginAs(page, baseURL, 'clerk_sj')
      // 1. An undecided penalty of 20,000 yuan on a company (above the
      // 10,000 yuan report amount), with two valid officers.
      const c = await page.evaluate(async ({ title }) => {
        const bodies = await (await fetch('/api/enforcement/bodies')).json()
        const body = bodies.items.find((b) => b.name === '清河区市场监督管理局')
        const officers = await (await fetch(`/api/enforcement/officers?unit_id=${body.unit_id}&valid=true&page_size=50`)).json()
        const res = await fetch('/api/enforcement/cases', {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ body_id: body.id, kind: 'penalty', title, party_type: 'organisation', party_name: '清河浏览器测试有限公司',
            procedure: 'general', amount_fen: 2000000, filed_on: '2026-11-02', prior_notice_on: '2026-11-20', hearing_notice_on: '2026-11-20',
            officer_ids: officers.items.slice(0, 2).map((o) => o.id) }),
        })
        return { status: res.status, body: await res.json() }
      }, { title })
      assert(c.status === 201, `case create ${c.status} ${JSON.stringify(c.body)}`)
      const casePage = `${baseURL}/enforcement/cases/${c.body.id}`
      const today = todayShanghai()
      const decide = async () => {
        await page.getByRole('button', { name: '登记决定' }).click()
        // The date through its labelled form item in the open dialog.
        const day = page.locator('.el-dialog:visible', { hasText: '登记决定' }).locator('.el-form-item', { hasText: '决定日期' }).locator('input')
        await day.fill(today)
        await day.press('Tab')
        await page.keyboard.press('Escape').catch(() => {})
        await page.locator('[data-test="decide-save"]').click()
      }

      // 2. The decision is refused before the report; the clerk reports.
      await page.goto(casePage)
      await waitText(page.locator('.el-alert', { hasText: '须经司法局确认报备' }), '须经司法局确认报备')
      await decide()
      await waitText(page.locator('.el-dialog:visible .el-form-item__error'), '尚未向司法局报备')
      await page.keyboard.press('Escape')
      await page.goto(casePage)
      await fillTest(page, 'report-summary', '拟对该公司销售过期食品罚款 2 万元')
      await page.locator('[data-test="report-submit"]').click()
      await page.locator('.el-message--success', { hasText: '已向司法局报备' }).waitFor()
      await waitText(page.locator('[data-test="report"]'), '待司法局确认')

      // 3. The 司法局 sees it in its list and confirms it on the case page.
      await loginAs(page, baseURL, 'sifaju')
      await page.goto(`${baseURL}/enforcement/reports?status=submitted`)
      await page.locator('.el-table__row', { hasText: c.body.code }).first().waitFor()
      await page.goto(casePage)
      await fillTest(page, 'report-note', '同意按拟处罚意见办理')
      await page.locator('[data-test="report-acknowledge"]').click()
      await page.locator('.el-message--success', { hasText: '已确认报备' }).waitFor()
      await waitText(page.locator('[data-test="report"]'), '司法局已确认')

      // 4. The clerk records the decision.
      await loginAs(page, baseURL, 'clerk_sj')
      await page.goto(casePage)
      await decide()
      await page.locator('.el-message--success', { hasText: '已保存' }).waitFor()
      await waitText(page.locator('.el-steps'), today)
      await page.screenshot({ path: 'e2e/out/enforcement-report.png', fullPage: true })

      // 5. The other pages of 包容审慎监管 and of part I.
      await page.goto(`${baseURL}/enforcement/leniency`)
      await page.locator('.el-table__row', { hasText: '清河区市场监督管理局' }).first().click()
      await waitText(page.locator('[data-test="leniency-items"]'), '未按规定公示营业执照')
      await page.screenshot({ path: 'e2e/out/enforcement-leniency.png', fullPage: true })
      await page.goto(`${baseURL}/enforcement/inspections`)
      await page.locator('.el-table__row', { hasText: '有限公司' }).first().waitFor()
      await page.screenshot({ path: 'e2e/out/enforcement-inspections.png', fullPage: true })
      await page.goto(`${baseURL}/enforcement/bodies`)
      await waitText(page.locator('[data-test="bodies"]'), '清河区市场监督管理局')
      await page.screenshot({ path: 'e2e/out/enforcement-bodies.png', fullPage: true })
    },
  },
  {
    name: '重大执法决定法制审核：从案件页送审（合法性审查模块），审核办结前不能登记决定',
    async run({ page, baseURL }) {
      const title = `浏览器测试：重大执法决定${uniq()}`
      await loginAs(page, baseURL, 'clerk_sj')
      // 1. An undecided major case with two valid officers.
      const c = await page.evaluate(async ({ title }) => {
        const bodies = await (await fetch('/api/enforcement/bodies')).json()
        const body = bodies.items.find((b) => b.name === '清河区市场监督管理局')
        const officers = await (await fetch(`/api/enforcement/officers?unit_id=${body.unit_id}&valid=true&page_size=50`)).json()
        const res = await fetch('/api/enforcement/cases', {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          // An organisation (the clerk sees a natural person's name masked
          // and the page then hides 登记决定); 5,000 yuan needs no report.
          body: JSON.stringify({ body_id: body.id, kind: 'penalty', title, party_type: 'organisation', party_name: '清河浏览器法制审核测试有限公司', procedure: 'general',
            amount_fen: 500000, major: true, filed_on: '2026-11-02', prior_notice_on: '2026-11-20', officer_ids: officers.items.slice(0, 2).map((o) => o.id) }),
        })
        return { status: res.status, body: await res.json() }
      }, { title })
      assert(c.status === 201, `case create ${c.status} ${JSON.stringify(c.body)}`)
      const casePage = `${baseURL}/enforcement/cases/${c.body.id}`

      // 2. 送法制审核 from the case page.
      await page.goto(casePage)
      await waitText(page.locator('[data-test="review-status"]'), '未送审')
      await page.locator('[data-test="send-review"]').click()
      await page.locator('.el-dialog:visible', { hasText: '送重大执法决定法制审核' }).waitFor()
      await page.locator('textarea[data-test="review-summary"]').fill('当事人销售过期食品，拟罚款 5000 元，情节复杂，送法制审核')
      await page.locator('[data-test="review-send"]').click()
      await page.locator('.el-message--success', { hasText: '已送法制审核' }).waitFor()
      await waitText(page.locator('[data-test="review-status"]'), '审核中')
      assert((await page.locator('[data-test="send-review"]').count()) === 0, 'send button still shown while the review runs')
      await page.screenshot({ path: 'e2e/out/enforcement-legal-review.png', fullPage: true })

      // 3. The review in the legality review module, linked back to the case.
      await page.locator('a', { hasText: /第 \d+ 号/ }).first().click()
      await page.waitForURL(/\/legalreviews\/\d+$/)
      await waitText(page.locator('.el-descriptions').first(), '重大执法决定')
      await page.locator('a', { hasText: '查看执法案件' }).click()
      await page.waitForURL(new RegExp(`/enforcement/cases/${c.body.id}$`))

      // 4. The decision is refused while the review runs.
      await page.getByRole('button', { name: '登记决定' }).click()
      const day = page.locator('.el-dialog:visible', { hasText: '登记决定' }).locator('.el-form-item', { hasText: '决定日期' }).locator('input')
      await day.fill(todayShanghai())
      await day.press('Tab')
      await page.keyboard.press('Escape').catch(() => {})
      await page.locator('[data-test="decide-save"]').click()
      await waitText(page.locator('.el-dialog:visible .el-form-item__error'), '尚未办结')
    },
  },
  {
    name: '执法人员关联账号：名册页关联、显示、取消关联',
    async run({ page, baseURL }) {
      const cert = `E2E-ACC-${uniq()}`
      await loginAs(page, baseURL, 'clerk_sj')
      const o = await page.evaluate(async ({ cert }) => {
        const me = await (await fetch('/api/auth/me')).json()
        const res = await fetch('/api/enforcement/officers', {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ unit_id: me.unit.id, name: '浏览器关联测试', cert_no: cert, cert_kind: 'admin', cert_authority: '清河市人民政府',
            cert_issued_on: '2024-01-01', cert_expires_on: '2030-12-31' }),
        })
        return { status: res.status, body: await res.json() }
      }, { cert })
      assert(o.status === 201, `officer create ${o.status} ${JSON.stringify(o.body)}`)
      await page.goto(`${baseURL}/enforcement/officers?q=${encodeURIComponent(cert)}`)
      const row = page.locator('.el-table__row', { hasText: cert }).first()
      await row.waitFor()
      const open = async () => {
        await page.locator(`.el-table__fixed-right [data-test="link-${cert}"], [data-test="link-${cert}"]`).first().click()
        await page.locator('.el-dialog:visible', { hasText: '关联账号' }).waitFor()
      }
      // An unknown account is refused naming the field.
      await open()
      await page.locator('input[data-test="link-username"]').fill('no_such_user_e2e')
      await page.locator('[data-test="link-save"]').click()
      await waitText(page.locator('.el-dialog:visible .el-form-item__error'), '找不到启用的账号')
      await page.locator('input[data-test="link-username"]').fill('clerk_fgj')
      await page.locator('[data-test="link-save"]').click()
      await page.locator('.el-message--success', { hasText: '已关联账号' }).waitFor()
      await waitText(page.locator('.el-table__row', { hasText: cert }).first(), 'clerk_fgj')
      await page.screenshot({ path: 'e2e/out/enforcement-officer-account.png', fullPage: true })
      // Unlinked again (the account stays free for other runs).
      await open()
      await page.locator('input[data-test="link-username"]').fill('')
      await page.locator('[data-test="link-save"]').click()
      await page.locator('.el-message--success', { hasText: '已取消关联' }).waitFor()
    },
  },
]
