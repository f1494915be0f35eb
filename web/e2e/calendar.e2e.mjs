// 工作日历 against a real `fazhi serve` with the demo district (the shipped
// 2016–2026 schedules, no 2027 notice yet). The demo user sifaju is a
// supervisor and holds calendar.write. Nothing here saves a change: the
// refused 录入 shows the server's messages, and the other test files keep the
// shipped calendar. The mock server has no calendar API, so MOCK=1 skips them.
import { assert, DEMO_PASSWORD, DEMO_USERNAME, screenshot } from './lib.mjs'

async function login(page, baseURL) {
  await page.goto(`${baseURL}/login`)
  await page.getByPlaceholder('用户名').fill(DEMO_USERNAME)
  await page.getByPlaceholder('密码').fill(DEMO_PASSWORD)
  await page.getByPlaceholder('密码').press('Enter')
  await page.waitForURL((u) => new URL(u).pathname === '/')
}

async function openCalendar(page) {
  await page.locator('.el-menu-item', { hasText: '工作日历' }).click()
  await page.waitForURL((u) => new URL(u).pathname === '/system/calendar')
  await page.locator('[data-test="years-table"] .el-table__body tr').first().waitFor()
}

async function pickRule(page, name) {
  await page.locator('.calc .el-select').first().click()
  await page.keyboard.type(name)
  const option = page.locator('.el-select-dropdown__item:visible', { hasText: `${name} ·` })
  await option.first().click()
}

async function setFrom(page, date) {
  const input = page.getByPlaceholder('触发事件发生之日')
  await input.fill(date)
  await input.press('Enter')
}

const calendarTests = [
  {
    name: '年度放假安排：2026 已列出，2027 提示暂定，年历标出休与班',
    async run({ page, baseURL }) {
      await login(page, baseURL)
      await openCalendar(page)

      const list = await page.evaluate(async () => (await fetch('/api/calendar/years')).json())
      assert(list.next_uncovered === 2027, `next_uncovered is ${list.next_uncovered}, expected 2027 on the demo data`)

      const row2026 = page.locator('[data-test="years-table"] .el-table__body tr', { hasText: '2026' }).first()
      await row2026.waitFor()
      const rowText = await row2026.innerText()
      assert(rowText.includes('国务院办公厅关于2026年部分节假日安排的通知'), `2026 row lacks its notice: ${rowText}`)
      assert(rowText.includes('内置'), `2026 row is not marked 内置: ${rowText}`)
      const s2026 = list.items.find((i) => i.year === 2026)
      assert(rowText.includes(String(s2026.holidays)) && rowText.includes(String(s2026.make_ups)), `2026 counts missing: ${rowText}`)

      const warning = page.locator('[data-test="provisional-warning"]')
      await warning.waitFor()
      const warnText = await warning.innerText()
      assert(warnText.includes('2027 年放假安排尚未录入'), `warning text: ${warnText}`)
      assert(warnText.includes('暂定'), `warning does not say 暂定: ${warnText}`)
      assert(warnText.includes('录入 2027 年放假安排'), 'a calendar.write user sees the 录入 2027 button')
      await page.waitForTimeout(300)
      await screenshot(page, 'calendar-years')

      // The 2026 year: October has the national-day holidays and the make-up Saturday.
      await row2026.getByText('2026', { exact: true }).click()
      await page.waitForURL((u) => new URL(u).pathname === '/system/calendar/years/2026')
      await page.locator('[data-test="year-grid"] .month').nth(11).waitFor()
      assert((await page.locator('[data-test="year-grid"] .month').count()) === 12, 'twelve months shown')
      const oct1 = page.locator('[data-date="2026-10-01"]')
      assert((await oct1.getAttribute('class')).includes('holiday'), '2026-10-01 is not marked as a holiday')
      assert((await oct1.innerText()).includes('休'), '2026-10-01 has no 休 mark')
      const oct10 = page.locator('[data-date="2026-10-10"]')
      assert((await oct10.getAttribute('class')).includes('makeup'), '2026-10-10 is not marked as a make-up working day')
      assert((await oct10.innerText()).includes('班'), '2026-10-10 has no 班 mark')
      assert((await page.locator('[data-date="2026-10-08"]').getAttribute('class')).includes('workday'), '2026-10-08 is an ordinary workday')
      const october = await page.locator('[data-test="year-grid"] .month[data-month="10"]').innerText()
      assert(october.includes('国庆节') && october.includes('10月1日—7日') && october.includes('10月10日（星期六）'), `October legend: ${october}`)
      await screenshot(page, 'calendar-year-2026')

      // 2027 is not entered: the page says so instead of an empty calendar.
      await page.goto(`${baseURL}/system/calendar/years/2027`)
      await page.locator('[data-test="year-uncovered"]').waitFor()
      const unc = await page.locator('[data-test="year-uncovered"]').innerText()
      assert(unc.includes('2027 年放假安排尚未录入'), `uncovered page: ${unc}`)
    },
  },
  {
    name: '录入对话框：服务器的逐条错误显示在对应行，已填内容不丢失',
    async run({ page, baseURL }) {
      await login(page, baseURL)
      await openCalendar(page)
      await page.locator('[data-test="enter-year"]').click()
      const dialog = page.locator('.el-dialog', { hasText: '录入年度放假安排' })
      await dialog.waitFor()

      // Table mode: a name without a date and a weekday make-up day.
      await dialog.locator('[data-test="editor-source"]').fill('国务院办公厅关于2027年部分节假日安排的通知（测试）')
      const names = dialog.locator('.el-table__body input[placeholder="如 春节"]')
      await names.nth(0).fill('元旦')
      await dialog.getByRole('button', { name: '添加一行' }).click()
      await names.nth(1).fill('春节')
      const dates = dialog.locator('.el-table__body input[placeholder="选择日期"]')
      await dates.nth(1).fill('2027-02-03')
      await dates.nth(1).press('Enter')
      await dialog.locator('.el-table__body tr').nth(1).getByText('调休上班').click()
      await dialog.locator('[data-test="editor-save"]').click()

      const rows = dialog.locator('.el-table__body tr')
      await rows.nth(0).locator('.cell-error').first().waitFor()
      const row1 = await rows.nth(0).innerText()
      assert(row1.includes('第 1 条缺少日期'), `row 1 error: ${row1}`)
      const row2 = await rows.nth(1).innerText()
      assert(row2.includes('调休上班日应为周六或周日'), `row 2 error: ${row2}`)
      assert((await names.nth(0).inputValue()) === '元旦' && (await names.nth(1).inputValue()) === '春节', 'typed names kept')
      assert((await dates.nth(1).inputValue()) === '2027-02-03', 'typed date kept')
      assert((await dialog.locator('[data-test="editor-source"]').inputValue()).includes('（测试）'), 'source kept')
      await screenshot(page, 'calendar-editor-errors')

      // JSON mode shows the same data and, refused, keeps the text.
      await dialog.getByRole('tab', { name: '粘贴 JSON' }).click()
      const json = dialog.locator('textarea[data-test="editor-json"]')
      const text = await json.inputValue()
      assert(text.includes('"name": "春节"') && text.includes('"date": "2027-02-03"'), `JSON view: ${text}`)
      const bad = text.replace('"off": false', '"off": "否"')
      await json.fill(bad)
      await dialog.locator('[data-test="editor-save"]').click()
      await dialog.getByText('off 应为 true（放假）或 false（调休上班）').waitFor()
      assert((await json.inputValue()) === bad, 'pasted JSON kept after a refusal')

      // Closing and reopening keeps the draft.
      await dialog.getByRole('button', { name: '取消' }).click()
      await dialog.waitFor({ state: 'hidden' })
      await page.locator('[data-test="enter-year"]').click()
      await dialog.waitFor()
      assert((await json.inputValue()) === bad, 'draft kept after closing the dialog')

      const list = await page.evaluate(async () => (await fetch('/api/calendar/years')).json())
      assert(list.next_uncovered === 2027, 'nothing was saved')
    },
  },
  {
    name: '期限计算器：disclosure.reply 自 2026-09-28 起算截止 2026-10-30',
    async run({ page, baseURL }) {
      await login(page, baseURL)
      await openCalendar(page)
      await page.getByRole('tab', { name: '期限计算器' }).click()
      await page.waitForURL((u) => new URL(u).pathname === '/system/calendar/deadline')

      await pickRule(page, 'disclosure.reply')
      await setFrom(page, '2026-09-28')
      const due = page.locator('[data-test="calc-due"]')
      await page.waitForFunction(() => document.querySelector('[data-test="calc-due"]')?.textContent?.trim() === '2026-10-30', null, { timeout: 10_000 })
      const result = await page.locator('[data-test="calc-result"]').innerText()
      assert(result.includes('星期五'), `result: ${result}`)
      assert(result.includes('2026-09-28 起算') && result.includes('国庆'), `explanation: ${result}`)
      assert((await page.locator('[data-test="calc-provisional"]').count()) === 0, '2026 result is not provisional')
      const url = new URL(page.url())
      assert(url.searchParams.get('rule') === 'disclosure.reply' && url.searchParams.get('from') === '2026-09-28', `url: ${url}`)
      await screenshot(page, 'calendar-deadline')

      // A start in 2027 (no notice yet) is computed but marked 暂定.
      await setFrom(page, '2027-09-28')
      await page.locator('[data-test="calc-provisional"]').waitFor()
      assert((await due.innerText()).trim() === '2027-10-27', `2027 due: ${await due.innerText()}`)
      await screenshot(page, 'calendar-deadline-provisional')
    },
  },
  {
    name: '期限规则：列出规则，调整须填写依据',
    async run({ page, baseURL }) {
      await login(page, baseURL)
      await page.goto(`${baseURL}/system/calendar/rules`)
      const table = page.locator('[data-test="rules-table"]')
      const row = table.locator('.el-table__body tr', { hasText: 'disclosure.reply' }).first()
      await row.waitFor()
      const text = await row.innerText()
      assert(text.includes('依申请公开答复') && text.includes('20 个工作日'), `disclosure.reply row: ${text}`)
      const rules = await page.evaluate(async () => (await fetch('/api/calendar/rules')).json())
      const bodyRows = await table.locator('.el-table__body-wrapper tr.el-table__row').count()
      assert(bodyRows === rules.items.length, `table shows ${bodyRows} rules, server has ${rules.items.length}`)
      await screenshot(page, 'calendar-rules')

      const filing = table.locator('.el-table__body tr', { hasText: 'normdoc.filing' }).first()
      await filing.getByRole('button', { name: '调整' }).click()
      const dialog = page.locator('.el-dialog', { hasText: '调整期限规则' })
      await dialog.waitFor()
      await dialog.getByPlaceholder(/本省规定的名称和条款/).fill('')
      await dialog.getByRole('button', { name: '保存' }).click()
      await dialog.getByText('请填写调整依据').waitFor()
      await screenshot(page, 'calendar-rule-adjust')
      await dialog.getByRole('button', { name: '取消' }).click()
    },
  },
]

export const tests = process.env.MOCK === '1' ? [] : calendarTests
