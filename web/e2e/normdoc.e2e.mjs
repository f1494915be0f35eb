// 规范性文件 through the pages: 区市场监管局 (on the issuing-body list)
// drafts a document and sends it to legality review; its head tries the
// collective deliberation before the review passed and is refused; the
// reviewers pass the review; the head deliberates, registers (the unified
// number 清河市监规〔2026〕N号), publishes and files it (the filing deadline
// from the calendar and the on-time flag); 区司法局 orders a correction,
// the issuing body records it, and only then is the passing result taken
// (and final); finally the public library finds the document,
// without a session, by a two-character word of its title.
import { assert, screenshot } from './lib.mjs'
import { approveReview, choose, errorToast, fillTest, loginAs, todayShanghai, uniq, waitText } from './flows.mjs'

export const tests = [
  {
    name: '规范性文件：起草、合法性审核前不得集体审议、登记编号、发布、备案、备案审查、公开检索',
    async run({ page, baseURL, context }) {
      const word = '秤具'
      const title = `清河区农贸市场计量${word}管理办法（浏览器测试 ${uniq()}）`
      const today = todayShanghai()

      // 1. The clerk of an issuing body drafts the document and sends it to legality review.
      await loginAs(page, baseURL, 'clerk_sj')
      await page.goto(`${baseURL}/normdocs/ledger`)
      await page.locator('[data-test="new-draft"]').click()
      await choose(page, 'draft-issuer', '清河区市场监管局')
      await fillTest(page, 'draft-title', title)
      await fillTest(page, 'draft-summary', '规范农贸市场计量器具的配备、检定和使用')
      await fillTest(page, 'draft-body', '第一条 为了规范本区农贸市场计量器具管理，维护公平交易秩序，根据《中华人民共和国计量法》，制定本办法。\n第二条 农贸市场开办者应当设置公平秤。')
      await page.locator('[data-test="draft-create"]').click()
      await page.waitForURL(/\/normdocs\/\d+$/)
      const docID = Number(new URL(page.url()).pathname.split('/').pop())
      await waitText(page.locator('[data-test="nd-status"]'), '起草中')
      await page.locator('[data-test="submit-review"]').click()
      await waitText(page.locator('[data-test="nd-status"]'), '合法性审核中')
      const reviewID = Number((await page.locator('[data-test="nd-review-link"]').innerText()).replace(/\D/g, ''))
      assert(reviewID > 0, 'no legality review linked from the document')

      // 2. The head tries the collective deliberation now: refused by the service.
      await loginAs(page, baseURL, 'head_sj')
      await page.goto(`${baseURL}/normdocs/${docID}`)
      await fillTest(page, 'delib-meeting', '区市场监管局2026年第12次局务会议')
      await page.locator('[data-test="delib-save"]').click()
      const refusal = await errorToast(page)
      assert(refusal.includes('合法性审核尚未完成，不得提交集体审议'), `refusal: "${refusal}"`)
      await screenshot(page, 'normdoc-refused-deliberation')
      await waitText(page.locator('[data-test="nd-status"]'), '合法性审核中')

      // 3. The legality review passes through its chain.
      await approveReview(page, baseURL, 'sifaju2', reviewID, '送审材料齐全，提请法律顾问审查。')
      await approveReview(page, baseURL, 'counsel_zhao', reviewID, '符合《计量法》及其实施细则。')
      await approveReview(page, baseURL, 'counsel_qian', reviewID, '同意。')
      await approveReview(page, baseURL, 'sifaju', reviewID, '同意，出具审核意见。')
      await page.locator('[data-test="conclude-card"] .el-radio-button', { hasText: /^审查通过$/ }).click()
      await fillTest(page, 'conclude-summary', '制定主体适格，内容合法，程序完备，审核通过。')
      // Concluded the day it was submitted: an early conclusion with its recorded reason.
      await fillTest(page, 'conclude-early-reason', '农贸市场计量整治专项行动急需配套文件')
      await fillTest(page, 'conclude-early-approver', '区司法局局长王建国')
      await page.locator('[data-test="conclude-submit"]').click()
      await waitText(page.locator('[data-test="lr-status"]'), '已办结')

      // 4. Deliberation, unified registration and numbering, publication.
      await loginAs(page, baseURL, 'head_sj')
      await page.goto(`${baseURL}/normdocs/${docID}`)
      await fillTest(page, 'delib-meeting', '区市场监管局2026年第12次局务会议')
      await page.locator('[data-test="delib-save"]').click()
      await waitText(page.locator('[data-test="nd-status"]'), '已集体审议')
      await page.locator('[data-test="register"]').click()
      await waitText(page.locator('[data-test="nd-status"]'), '已统一登记编号')
      const docNo = (await page.locator('[data-test="nd-no"]').innerText()).trim()
      assert(/^清河.*规〔2026〕\d+号$/.test(docNo), `unified number "${docNo}"`)
      assert(docNo.startsWith('清河市监规'), `number "${docNo}" lacks the issuer's prefix`)
      await page.locator('[data-test="publish"]').click()
      // Published today, in force from its effective date (30 days on): the
      // staff see 尚未施行, as the public library says (issue 24).
      await waitText(page.locator('[data-test="nd-status"]'), '尚未施行')

      // 5. Filing to the level above: the deadline from the calendar, filed today and on time.
      const due = (await page.locator('[data-test="nd-filing-due"]').innerText()).trim()
      assert(/^\d{4}-\d{2}-\d{2}$/.test(due) && due > today, `filing deadline "${due}"`)
      const explain = await page.locator('.el-descriptions').innerText()
      assert(explain.includes(`${today} 起算`) && explain.includes(`截止 ${due}`), `filing explanation: ${explain}`)
      await page.locator('[data-test="file"]').click()
      const filed = await waitText(page.locator('[data-test="nd-filed"]'), '按期报送')
      assert(filed.includes(today), `filed: "${filed}"`)
      await screenshot(page, 'normdoc-filed')

      // 6. 区司法局 orders a correction (责令纠正): no new result is offered
      //    until the issuing body records its correction, and the service
      //    refuses one sent anyway.
      await loginAs(page, baseURL, 'sifaju')
      await page.goto(`${baseURL}/normdocs/${docID}`)
      await page.locator('[data-test="result-form"] .el-radio', { hasText: '责令纠正' }).click()
      await fillTest(page, 'result-note', '第二条未规定公平秤的检定周期，请补充。')
      await page.locator('[data-test="record-result"]').click()
      await waitText(page.locator('[data-test="nd-filing-result"]'), '责令纠正')
      await page.locator('[data-test="record-result"]').waitFor({ state: 'detached' })
      const early = await page.evaluate(async ([id, date]) => {
        const d = await (await fetch(`/api/normdocs/${id}`)).json()
        const r = await fetch(`/api/normdocs/${id}/filing-result`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ result: 'passed', date, version: d.version }) })
        return { status: r.status, body: await r.json() }
      }, [docID, today])
      assert(early.status === 422 && early.body.message.includes('须先由制定机关登记纠正情况'), `result before the correction: ${early.status} ${JSON.stringify(early.body)}`)
      // The page now offers the correction instead (区司法局 may also record it).
      await page.locator('[data-test="correction-form"]').waitFor()
      await loginAs(page, baseURL, 'clerk_sj')
      await page.goto(`${baseURL}/normdocs/${docID}`)
      await page.locator('[data-test="correction-form"]').waitFor()
      const v = await page.evaluate(async (id) => (await (await fetch(`/api/normdocs/${id}`)).json()).version, docID)
      const refused = await page.evaluate(async ([id, version, date]) => {
        const r = await fetch(`/api/normdocs/${id}/filing-result`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ result: 'passed', date, version }) })
        return { status: r.status, body: await r.json() }
      }, [docID, v, today])
      assert(refused.status === 403, `a clerk recording a result answered ${refused.status}`)
      await fillTest(page, 'correction-version', `${title}（修正本）`)
      await fillTest(page, 'correction-note', '第二条已补充公平秤每年检定一次。')
      await page.locator('[data-test="record-correction"]').click()
      await page.locator('[data-test="correction-form"]').waitFor({ state: 'detached' })
      await page.locator('[data-test="await-result"]').waitFor()
      await screenshot(page, 'normdoc-correction')

      // 7. 区司法局 sees the result form again and records 审查通过, which is final.
      await loginAs(page, baseURL, 'sifaju')
      await page.goto(`${baseURL}/normdocs/${docID}`)
      await fillTest(page, 'result-note', '纠正后未发现违法内容。')
      await page.locator('[data-test="record-result"]').click()
      await waitText(page.locator('[data-test="nd-filing-result"]'), '审查通过')
      await page.locator('[data-test="record-result"]').waitFor({ state: 'detached' })
      await page.getByText('当前没有需要您办理的步骤').waitFor()
      const hist = await waitText(page.locator('[data-test="nd-filing-history"]'), '审查通过')
      assert(hist.includes('责令纠正') && hist.includes('（修正本）') && hist.indexOf('责令纠正') < hist.indexOf('审查通过'), `history: ${hist}`)
      // A second result is final-refused by the service with a clear message.
      const again = await page.evaluate(async (id) => {
        const d = await (await fetch(`/api/normdocs/${id}`)).json()
        const r = await fetch(`/api/normdocs/${id}/filing-result`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ result: 'revoked', date: d.filing_result_on, note: '复查', version: d.version }) })
        return { status: r.status, body: await r.json() }
      }, docID)
      assert(again.status === 409 && again.body.message.includes('是最终结论'), `second result: ${again.status} ${JSON.stringify(again.body)}`)
      await screenshot(page, 'normdoc-filing-result')

      // 8. The public library, no session: a two-character word finds it.
      await context.clearCookies()
      await page.goto(`${baseURL}/public/normdocs`)
      assert(new URL(page.url()).pathname === '/public/normdocs', `public library redirected to ${page.url()}`)
      await fillTest(page, 'public-q', word)
      await page.locator('[data-test="public-q"]').press('Enter')
      const row = page.locator('.el-table__row', { hasText: title })
      await row.waitFor()
      assert((await row.innerText()).includes(docNo), 'the public row lacks the number')
      const rows = await page.locator('.el-table').first().locator('.el-table__row').allInnerTexts()
      assert(rows.every((r) => r.includes(word)), `a result without "${word}": ${rows.join(' | ')}`)
      await row.click()
      const dialog = page.locator('.el-dialog:visible')
      await dialog.waitFor()
      const text = await dialog.innerText()
      assert(text.includes(docNo) && text.includes('公平秤'), `public document: ${text}`)
      await page.waitForTimeout(400)
      await screenshot(page, 'normdoc-public-library')
    },
  },
]
