// 合法性审查 walked through the pages by the people who do it: 区市场监管局's
// clerk submits a contract for review (a requested completion date inside
// the 7-working-day minimum is refused, in the page and by the service);
// 李秀英 初审, the two advisers countersign, 王建国 审定 and concludes with an
// opinion; the opinion letter (.docx) downloaded from the page opens and
// carries the document number; the clerk records which opinion was adopted.
import { readFile } from 'node:fs/promises'
import { assert, screenshot } from './lib.mjs'
import { approveReview, docxText, fillDate, fillTest, loginAs, todayShanghai, uniq, waitText } from './flows.mjs'

export const tests = [
  {
    name: '合同合法性审查：提交、三重审查、出具意见书、下载意见书、反馈采纳情况',
    async run({ page, baseURL }) {
      const title = `区市场监管局食品快检设备采购合同（浏览器测试 ${uniq()}）`
      const opinion = '合同第九条违约责任约定显失公平，建议按照《民法典》第五百八十五条调整违约金计算方式。'

      // 1. The clerk opens the form; a date inside the 7-working-day minimum is refused.
      await loginAs(page, baseURL, 'clerk_sj')
      await page.goto(`${baseURL}/legalreviews/new`)
      const minOn = (await page.locator('[data-test="lr-min-on"]').innerText()).trim()
      assert(/^\d{4}-\d{2}-\d{2}$/.test(minOn), `no earliest date in the preview: "${minOn}"`)
      await page.locator('.el-radio-button', { hasText: '合同协议' }).click()
      await fillTest(page, 'lr-title', title)
      await fillTest(page, 'lr-summary', '采购食品快检设备12台，合同金额48万元，请审查合同条款。')
      const tooEarly = todayShanghai()
      await fillDate(page, 'lr-requested-by', tooEarly)
      await page.getByRole('button', { name: '提交审查' }).click()
      const inline = await waitText(page.locator('.el-form-item', { hasText: '要求完成日期' }).locator('.el-form-item__error'), '不得早于')
      assert(inline.includes(minOn) && inline.includes('7个工作日'), `inline refusal: "${inline}"`)
      assert(new URL(page.url()).pathname === '/legalreviews/new', 'a refused request left the form')
      await screenshot(page, 'legalreview-refused-date')

      // The service refuses the same request on its own, naming the field in Chinese.
      const refused = await page.evaluate(async ({ title, tooEarly }) => {
        const me = await (await fetch('/api/auth/me')).json()
        const r = await fetch('/api/legalreviews', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ kind: 'contract', title, unit_id: me.unit.id, requested_by: tooEarly }),
        })
        return { status: r.status, body: await r.json() }
      }, { title, tooEarly })
      assert(refused.status === 400 || refused.status === 422, `service accepted an early date: ${refused.status}`)
      const fieldMsg = JSON.stringify(refused.body)
      assert(fieldMsg.includes('要求完成日期不得早于') && fieldMsg.includes(minOn), `service refusal: ${fieldMsg}`)

      // 2. With the earliest allowed date the request goes in.
      await fillDate(page, 'lr-requested-by', minOn)
      await page.getByRole('button', { name: '提交审查' }).click()
      await page.waitForURL(/\/legalreviews\/\d+$/)
      const reviewID = Number(new URL(page.url()).pathname.split('/').pop())
      await waitText(page.locator('[data-test="lr-status"]'), '审查中')
      const requestText = await page.locator('.el-descriptions').first().innerText()
      assert(requestText.includes('合同协议') && requestText.includes(minOn), `request details: ${requestText}`)
      assert(requestText.includes('区市场监管局'), `requesting unit missing: ${requestText}`)
      await screenshot(page, 'legalreview-submitted')

      // 3. The chain: 初审 → two advisers countersign → 负责人审定.
      await approveReview(page, baseURL, 'sifaju2', reviewID, '材料齐全，主体适格，提请法律顾问、公职律师审查。')
      await approveReview(page, baseURL, 'counsel_zhao', reviewID, '违约责任条款需调整，详见综合意见。')
      // After one of two countersigners the review still waits for the other.
      const mid = await page.evaluate(async (id) => (await fetch(`/api/legalreviews/${id}`)).json(), reviewID)
      assert(mid.status === 'reviewing', `after one countersigner the status is ${mid.status}`)
      await approveReview(page, baseURL, 'counsel_qian', reviewID, '同意赵律师意见。')
      await approveReview(page, baseURL, 'sifaju', reviewID, '同意法律顾问意见，出具审查意见书。')

      // 4. 王建国 concludes: passed with changes, one opinion item.
      await page.locator('[data-test="conclude-card"]').waitFor()
      await page.locator('[data-test="conclude-card"] .el-radio-button', { hasText: '修改后通过' }).click()
      await fillTest(page, 'conclude-summary', '合同主体适格，内容基本合法，按下列意见修改后可以签订。')
      await fillTest(page, 'conclude-opinion-0', opinion)
      // Concluded on the submission day, before the 7 working days: without
      // the urgent matter and its approver the service refuses.
      await page.locator('[data-test="conclude-submit"]').click()
      await page.locator('[data-test="conclude-card"] .el-form-item__error', { hasText: '今日提前办结须填写紧急事由' }).waitFor()
      await fillTest(page, 'conclude-early-reason', '合同须于本周签订，区政府常务会议已安排审议')
      await fillTest(page, 'conclude-early-approver', '区司法局局长王建国')
      await page.locator('[data-test="conclude-submit"]').click()
      await waitText(page.locator('[data-test="lr-status"]'), '已办结')
      await waitText(page.locator('[data-test="lr-early"]'), '提前办结')
      const number = (await page.locator('[data-test="lr-opinion-no"]').innerText()).trim()
      assert(/〔\d{4}〕\d+号$/.test(number), `opinion letter number "${number}"`)
      await screenshot(page, 'legalreview-concluded')

      // 5. The opinion letter from the page's button is a Word document with the number.
      const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="lr-letter"]').click()])
      assert(dl.suggestedFilename().endsWith('.docx'), `download named ${dl.suggestedFilename()}`)
      const bytes = await readFile(await dl.path())
      assert(bytes.subarray(0, 2).toString('latin1') === 'PK', 'the letter does not start with PK')
      const text = docxText(bytes)
      assert(text.includes(number), `letter lacks its number ${number}`)
      assert(text.includes(opinion.slice(0, 20)), 'letter lacks the opinion item')
      assert(text.includes(title.slice(0, 10)), 'letter lacks the reviewed matter')

      // 6. The clerk records that the opinion was adopted.
      await loginAs(page, baseURL, 'clerk_sj')
      await page.goto(`${baseURL}/legalreviews/${reviewID}`)
      await page.locator('[data-test="adopt-1"]').click()
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: /^采纳$/ }).click()
      await page.locator('[data-test="adopt-save"]').click()
      await page.locator('.el-message--success', { hasText: '已保存采纳情况' }).waitFor()
      const row = await page.locator('.el-table__row', { hasText: opinion.slice(0, 12) }).innerText()
      assert(row.includes('采纳'), `adoption not shown: ${row}`)
      const after = await page.evaluate(async (id) => (await fetch(`/api/legalreviews/${id}`)).json(), reviewID)
      assert(after.opinions[0].adoption === 'adopted', `adoption stored as ${after.opinions[0].adoption}`)
      // The timeline ends with the chain (neutral), the letter and the feedback.
      await waitText(page.locator('[data-test="lr-tl-adopt"]'), '送审单位反馈采纳情况（采纳 1 条）')
      const tail = (await page.locator('.el-timeline-item').allInnerTexts()).slice(-3)
      assert(tail[0].includes('审查流程办结') && !tail[0].includes('已通过'), `chain finish line: ${tail[0]}`)
      assert(tail[1].includes(`出具法律审查意见书 ${number}（修改后通过）`), `letter line: ${tail[1]}`)
      assert(tail[2].includes('送审单位反馈采纳情况（采纳 1 条）'), `feedback line: ${tail[2]}`)
      await screenshot(page, 'legalreview-adopted')
    },
  },
  {
    name: '合法性审查概览：指标卡片链接到明细记录，按类型和单位统计',
    async run({ page, baseURL }) {
      await loginAs(page, baseURL, 'sifaju')
      await page.goto(`${baseURL}/legalreviews/overview`)
      const card = page.locator('.fig[data-key="legalreview.on_time_rate"]')
      await card.waitFor()
      assert((await card.innerText()).includes('按时'), `on-time card: ${await card.innerText()}`)
      await page.locator('.el-card__header', { hasText: '按审查类型' }).waitFor()
      await page.locator('.el-card__header', { hasText: '按送审单位' }).waitFor()
      await screenshot(page, 'legalreview-overview')
      await card.getByRole('link', { name: '查看明细记录' }).click()
      // The rate's records are its denominator: every review that had to be
      // concluded in the period (concluded, or open past its time limit).
      await page.waitForURL((u) => new URL(u).pathname === '/legalreviews' && new URL(u).searchParams.has('accountable_from'))
      await page.locator('.el-tag', { hasText: '应办结' }).waitFor()
    },
  },
]
