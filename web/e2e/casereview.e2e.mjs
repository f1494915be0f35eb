// 案卷评查 and 监督意见书 through the pages: the 司法局 supervisor opens a
// review plan of two departments, adds reviewers of both, publishes the
// commitment and draws (files go crosswise, never to their own unit),
// scores a file with a deduction, sees the ranking and downloads the
// report; then issues a supervision notice to 区市场监管局 (numbered
// X司法监〔YYYY〕N号), whose clerk answers it.
import { assert, screenshot } from './lib.mjs'
import { loginAs, uniq } from './flows.mjs'

const pick = async (page, text) => {
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: text }).first().click()
}

export const tests = [
  {
    name: '案卷评查：新建计划、公布承诺、抽取、评分、排名与报告；签发监督意见书并答复',
    async run({ page, baseURL }) {
      await loginAs(page, baseURL, 'sifaju')

      // 1. A plan over 区市场监管局 and 区城市管理局.
      const title = `浏览器测试案卷评查计划${uniq()}`
      await page.goto(`${baseURL}/case-review/plans`)
      await page.locator('[data-test="new-review-plan"]').click()
      const dialog = page.locator('.el-dialog:visible', { hasText: '新建案卷评查计划' })
      await dialog.waitFor()
      await dialog.locator('input[data-test="review-plan-title"]').fill(title)
      await dialog.locator('[data-test="review-plan-units"]').click()
      await pick(page, '区市场监管局')
      await pick(page, '区城市管理局')
      await dialog.locator('.el-dialog__title').click()
      await dialog.locator('[data-test="review-plan-save"]').click()
      await page.locator('.el-message--success', { hasText: '已新建评查计划' }).waitFor()
      await page.locator('[data-test="review-plan-status"]', { hasText: '编制中' }).waitFor()

      // 2. Reviewers of both departments (each reviews the other's files).
      await page.locator('.el-tabs__item', { hasText: '评查人员' }).click()
      await page.locator('[data-test="reviewer-pick"]').click()
      await pick(page, '（区市场监管局）')
      await pick(page, '（区城市管理局）')
      await page.locator('.el-tabs__item', { hasText: '评查人员' }).click()
      await page.locator('[data-test="reviewer-add"]').click()
      await page.locator('.el-message--success', { hasText: '已加入评查人员' }).waitFor()

      // 3. Commit, then draw.
      await page.locator('[data-test="review-commit"]').click()
      await page.locator('.el-message-box__btns .el-button--primary').click()
      await page.locator('[data-test="review-plan-status"]', { hasText: '已公布名录承诺' }).waitFor()
      await page.locator('[data-test="review-draw"]').click()
      await page.locator('.el-message-box__btns .el-button--primary').click()
      await page.locator('[data-test="review-plan-status"]', { hasText: '已抽取' }).waitFor()
      const seed = (await page.locator('[data-test="review-seed"]').innerText()).trim()
      assert(/^[0-9a-f]{64}$/.test(seed), `seed ${seed}`)
      const planID = page.url().split('/').pop()
      const files = await page.evaluate(async (id) => (await (await fetch(`/api/case-review/files?plan_id=${id}&page_size=100`)).json()).items, planID)
      assert(files.length > 0, 'no file drawn')
      for (const f of files) {
        assert(!f.reviewers.includes(`（${f.unit_name}）`), `file of ${f.unit_name} reviewed by its own unit: ${f.reviewers}`)
      }
      await screenshot(page, 'casereview-plan')

      // 4. Score the first file with one deduction.
      await page.locator('[data-test="review-files"] a').first().click()
      await page.locator('[data-test="score-save"]').waitFor()
      await page.locator('[data-test="add-deduction"]').click()
      await page.locator('input[data-test="deduction-reason"]').fill('卷内文书未编页码')
      await page.locator('[data-test="score-save"]').click()
      await page.locator('.el-message--success', { hasText: '已保存评分' }).waitFor()
      await page.locator('[data-test="file-score"]', { hasText: '分，' }).waitFor()
      const score = await page.locator('[data-test="file-score"]').innerText()
      assert(/\d+ 分，(优秀|合格|不合格)/.test(score), `score ${score}`)
      await screenshot(page, 'casereview-file')

      // 5. The ranking and the report.
      await page.goto(`${baseURL}/case-review/plans/${planID}`)
      await page.locator('.el-tabs__item', { hasText: '单位排名' }).click()
      await page.locator('[data-test="review-rankings"] .el-table__row').first().waitFor()
      const report = await page.evaluate(async (id) => {
        const r = await fetch(`/api/case-review/plans/${id}/report.docx`)
        return { status: r.status, type: r.headers.get('content-type'), size: (await r.arrayBuffer()).byteLength }
      }, planID)
      assert(report.status === 200 && report.type.includes('wordprocessingml') && report.size > 5000, `report ${JSON.stringify(report)}`)

      // 6. A supervision notice to 区市场监管局.
      const subject = `浏览器测试监督事由${uniq()}`
      await page.goto(`${baseURL}/case-review/notices`)
      await page.locator('[data-test="new-notice"]').click()
      const nd = page.locator('.el-dialog:visible', { hasText: '签发行政执法监督文书' })
      await nd.waitFor()
      await nd.locator('[data-test="notice-body"]').click()
      await pick(page, '清河区市场监督管理局')
      await nd.locator('input[data-test="notice-subject"]').fill(subject)
      await nd.locator('input[data-test="notice-item"]').first().fill('行政处罚决定书未载明裁量理由')
      await nd.locator('[data-test="notice-save"]').click()
      await page.locator('.el-message--success', { hasText: '已签发' }).waitFor()
      const number = (await page.locator('[data-test="notice-number"]').innerText()).trim()
      assert(/司法监〔\d{4}〕\d+号$/.test(number), `number ${number}`)
      const noticeURL = page.url()
      await screenshot(page, 'casereview-notice')

      // 7. 区市场监管局's clerk answers it.
      await page.context().clearCookies()
      await loginAs(page, baseURL, 'clerk_sj')
      await page.goto(noticeURL)
      await page.locator('textarea[data-test="notice-reply"]').fill('已逐项整改，修订裁量说明模板。')
      await page.locator('[data-test="notice-reply-save"]').click()
      await page.locator('.el-message--success', { hasText: '已登记答复' }).waitFor()
      await page.locator('[data-test="notice-status"]', { hasText: '已答复' }).waitFor()
    },
  },
]
