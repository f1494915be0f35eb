// 法治政府建设年度报告 through the pages: 区市场监管局's clerk generates the
// 2026 report (every figure filled from the metric catalogue, its source
// shown on hover), edits a paragraph and submits it; the department head
// returns it with an opinion, the clerk edits again and resubmits (a second
// frozen version, compared with the first); the head and the 依法治区办
// approve, 司法局 publishes it; the Word and PDF downloads open, and the
// published report is readable without signing in.
import { assert, screenshot } from './lib.mjs'
import { docxText, loginAs, uniq } from './flows.mjs'

const field = (scope, label, tag = 'input') => scope.locator('.el-form-item', { has: scope.page().locator(`.el-form-item__label:text-is("${label}")`) }).locator(tag).first()

async function act(page, action, opinion) {
  await page.locator('[data-test="act"]').click()
  const d = page.locator('.el-dialog:visible', { hasText: '审核' })
  await d.waitFor()
  await d.locator('[data-test="act-action"]').getByText(action === 'approve' ? '同意' : '退回修改').click()
  await d.locator('textarea[data-test="opinion"]').fill(opinion)
  await d.locator('[data-test="act-submit"]').click()
  await page.locator('.el-message--success', { hasText: action === 'approve' ? '已同意' : '已退回修改' }).waitFor()
  await d.waitFor({ state: 'hidden' })
}

async function editParagraph(page, key, text) {
  const p = page.locator(`.para[data-key="${key}"]`)
  await p.locator('[data-test="edit-para"]').click()
  await p.locator('textarea[data-test="para-text"]').fill(text)
  await p.locator('[data-test="save-para"]').click()
  await page.locator('.el-message--success', { hasText: '已保存段落' }).waitFor()
  await p.locator('.edited').waitFor()
}

// The report the first test generates; the second takes it on.
let reportId = 0

export const tests = [
  {
    name: '年度报告：生成（指标悬停显示来源）→ 修改 → 提交 → 退回 → 再提交（版本比较）',
    async run({ page, baseURL }) {
      await loginAs(page, baseURL, 'clerk_sj')
      await page.goto(`${baseURL}/reports`)
      await page.locator('[data-test="new-report"]').click()
      const dialog = page.locator('.el-dialog:visible', { hasText: '生成年度报告' })
      await dialog.waitFor()
      await field(dialog, '报告年度', '.el-select').click()
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: /^2026 年度$/ }).click()
      await field(dialog, '报告单位', '.el-select').click()
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: /^区市场监管局$/ }).click()
      await dialog.locator('[data-test="create"]').click()
      await page.waitForURL(/\/reports\/\d+$/)
      const id = Number(new URL(page.url()).pathname.split('/').pop())
      await page.locator('[data-test="title"]', { hasText: '区市场监管局关于2026年度法治政府建设情况的报告' }).waitFor()

      // Every figure on the page is the catalogue's value for the unit and year.
      const report = await page.evaluate(async (id) => (await fetch(`/api/reports/${id}`)).json(), id)
      const figs = page.locator('[data-test="figure"]')
      const n = await figs.count()
      assert(n >= 30, `only ${n} figures on the page`)
      for (let i = 0; i < n; i++) {
        const f = figs.nth(i)
        const code = await f.getAttribute('data-code')
        const src = report.figures[code]
        const shown = (await f.innerText()).trim()
        assert(src ? shown === src.text : shown === '—', `figure ${code} shows "${shown}", source ${src && src.text}`)
      }
      // Hovering a figure shows its source.
      const rate = page.locator('[data-test="figure"][data-code="enforcement.disclosure_on_time_rate"]').first()
      await rate.hover()
      const tip = page.locator('.el-popper:visible', { hasText: '统计期间 2026-01-01 至 2026-12-31' })
      await tip.waitFor()
      const tipText = await tip.innerText()
      assert(tipText.includes('分子') && tipText.includes('区市场监管局'), `hover: ${tipText}`)
      await screenshot(page, 'report-hover')

      const mark = `浏览器测试${uniq()}`
      await editParagraph(page, 'other.1', `本局${mark}，无其他需要报告的情况。`)
      await page.locator('[data-test="submit"]').click()
      await page.locator('.el-message--success', { hasText: '已提交审核' }).waitFor()
      await page.locator('[data-test="status"]', { hasText: '审核中' }).waitFor()

      // The head returns it; the clerk edits and resubmits.
      await loginAs(page, baseURL, 'head_sj')
      await page.goto(`${baseURL}/reports/${id}`)
      await act(page, 'reject', '请补充包容审慎监管的成效。')
      await page.locator('[data-test="status"]', { hasText: '退回修改' }).waitFor()
      await loginAs(page, baseURL, 'clerk_sj')
      await page.goto(`${baseURL}/reports/${id}`)
      await editParagraph(page, 'other.1', `本局${mark}，推行包容审慎监管，首违不罚案件全部公示。`)
      await page.locator('[data-test="regenerate"]').click()
      await page.locator('.el-message--success', { hasText: '已重新生成指标' }).waitFor()
      assert((await page.locator('.para[data-key="other.1"]').innerText()).includes('首违不罚'), 'the edited text was lost on regeneration')
      await page.locator('[data-test="submit"]').click()
      await page.locator('.el-message--success', { hasText: '已提交审核' }).waitFor()

      // The two versions compared.
      await page.getByRole('tab', { name: /版本比较/ }).click()
      await page.locator('[data-test="history"] .el-table__row').nth(1).waitFor()
      await page.locator('[data-test="compare"]').click()
      const diff = page.locator('[data-test="diff"]')
      await diff.locator('.ins', { hasText: '首违不罚' }).first().waitFor()
      assert((await diff.innerText()).includes('有变化的段落'), 'no comparison shown')
      await screenshot(page, 'report-compare')
      reportId = id
    },
  },
  {
    name: '年度报告：审核通过 → 公布 → 下载 Word/PDF → 公开查阅',
    async run({ page, baseURL }) {
      assert(reportId > 0, 'the first report test did not generate a report')
      const id = reportId
      // Head, then 依法治区办 approve; 司法局 publishes.
      await loginAs(page, baseURL, 'head_sj')
      await page.goto(`${baseURL}/reports/${id}`)
      await act(page, 'approve', '同意报送。')
      await loginAs(page, baseURL, 'sifaju')
      await page.goto(`${baseURL}/reports/${id}`)
      await act(page, 'approve', '已审核。')
      await page.locator('[data-test="status"]', { hasText: '已审定' }).waitFor()
      await page.locator('[data-test="publish"]').click()
      await page.locator('.el-message--success', { hasText: '已公布' }).waitFor()
      await page.locator('[data-test="status"]', { hasText: '已公布' }).waitFor()
      await page.getByRole('tab', { name: /审核流程/ }).click()
      await page.locator('[data-test="flow"] .el-table__row', { hasText: '请补充包容审慎监管的成效' }).waitFor()
      const flow = await page.locator('[data-test="flow"]').innerText()
      assert(flow.includes('请补充包容审慎监管的成效') && flow.includes('依法治区办审核'), `flow: ${flow}`)

      // Word and PDF open.
      const [dx] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="docx"]').click()])
      assert(dx.suggestedFilename().endsWith('.docx'), `download named ${dx.suggestedFilename()}`)
      const { readFile } = await import('node:fs/promises')
      const text = docxText(await readFile(await dx.path()))
      assert(text.includes('一、主要举措和成效') && text.includes('首违不罚'), `docx text: ${text.slice(0, 200)}`)
      const [px] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="pdf"]').click()])
      const pdf = await readFile(await px.path())
      assert(pdf.subarray(0, 5).toString() === '%PDF-' && pdf.length > 10000, `PDF of ${pdf.length} bytes`)

      // Without signing in: the published text (no internal note) and its PDF.
      const pub = await (await fetch(`${baseURL}/api/public/reports/${id}`)).json()
      assert(JSON.stringify(pub).includes('首违不罚') && pub.title.includes('区市场监管局'), `public report: ${JSON.stringify(pub).slice(0, 200)}`)
      const list = await (await fetch(`${baseURL}/api/public/reports`)).json()
      assert(list.items.some((r) => r.id === id), 'not in the public list')
      const ppdf = await fetch(`${baseURL}/api/public/reports/${id}/report.pdf`)
      assert(ppdf.ok && ppdf.headers.get('content-type') === 'application/pdf', `public PDF ${ppdf.status}`)
    },
  },
]
