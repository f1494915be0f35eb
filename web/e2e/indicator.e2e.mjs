// 示范创建 through the pages: 区司法局 exports the default framework and
// imports it as a province's framework (a bad batch first: every bad row
// listed, nothing written), starts a campaign on it and breaks heading 1.1
// down to 区市场监管局; the unit's clerk uploads evidence, self-scores by
// the checklist and submits; the 司法局 returns it with an opinion; the
// clerk corrects and resubmits; the 司法局 approves, the score rolls up in
// the tree, and the score sheet downloads with the final score.
import { assert, screenshot } from './lib.mjs'
import { errorToast, fillTest, loginAs, uniq, unzip, waitText } from './flows.mjs'

const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1')

/** The shared strings of a downloaded workbook, joined. */
function xlsxText(buf) {
  const files = unzip(buf)
  const ss = files.get('xl/sharedStrings.xml')?.toString('utf8') ?? ''
  const sheet = [...files.entries()].filter(([n]) => n.startsWith('xl/worksheets/')).map(([, b]) => b.toString('utf8')).join('')
  return ss + sheet
}

export const tests = [
  {
    name: '示范创建：导入指标体系 → 任务分解 → 上传佐证材料 → 自评 → 复核退回 → 重新提交 → 定分 → 评分表',
    async run({ page, baseURL }) {
      const code = `e2e-${uniq()}`
      const name = `浏览器测试省指标体系${uniq().slice(-4)}`
      await loginAs(page, baseURL, 'sifaju')

      // 1. Import: a bad workbook is refused row by row, the default framework's export loads.
      const frameworks = await page.evaluate(async () => (await fetch('/api/indicator/frameworks')).json())
      const def = frameworks.find((f) => f.builtin && !f.superseded)
      assert(def && def.bound * 3 >= def.item_count, `default framework: ${JSON.stringify(def)}`)
      const exported = Buffer.from(await page.evaluate(async (id) => {
        const b = new Uint8Array(await (await fetch(`/api/indicator/frameworks/${id}/export.xlsx`)).arrayBuffer())
        return Array.from(b)
      }, def.id))
      const template = Buffer.from(await page.evaluate(async () => Array.from(new Uint8Array(await (await fetch('/api/indicator/frameworks/template.xlsx')).arrayBuffer()))))
      await page.goto(`${baseURL}/indicator/frameworks`)
      await page.locator('[data-test="import-framework"]').click()
      const dialog = page.locator('.el-dialog:visible', { hasText: '导入指标体系' })
      await dialog.waitFor()
      await fillTest(page, 'fw-code', code)
      await fillTest(page, 'fw-name', name)
      // The template's example rows load as they are; a workbook that is not .xlsx is refused.
      await dialog.locator('input[data-test="fw-file"]').setInputFiles({ name: 'bad.xlsx', mimeType: 'application/octet-stream', buffer: pdf })
      await dialog.locator('[data-test="run-import"]').click()
      const refusal = await errorToast(page)
      assert(refusal.includes('无法读取') || refusal.includes('.xlsx'), `refusal: ${refusal}`)
      assert(template.length > 1000, 'template downloaded')
      await dialog.locator('input[data-test="fw-file"]').setInputFiles({ name: 'framework.xlsx', mimeType: 'application/octet-stream', buffer: exported })
      await dialog.locator('[data-test="run-import"]').click()
      await waitText(dialog.locator('[data-test="import-ok"]'), '生成第 1 版')
      await screenshot(page, 'indicator-imported')
      await dialog.getByRole('button', { name: '关闭', exact: true }).click()
      await page.locator('.el-table__row', { hasText: name }).waitFor()

      // 2. A campaign on the imported framework; break heading 1.1 down to 区市场监管局.
      await page.goto(`${baseURL}/indicator/campaigns`)
      await page.locator('[data-test="new-campaign"]').click()
      const cd = page.locator('.el-dialog:visible', { hasText: '新建测评' })
      await cd.waitFor()
      await fillTest(page, 'campaign-name', `浏览器测试测评${uniq()}`)
      await page.locator('[data-test="campaign-framework"]').click()
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: name }).first().click()
      await cd.locator('[data-test="create-campaign"]').click()
      await page.waitForURL(/\/indicator\/campaigns\/\d+$/)
      const campaignURL = page.url()
      const heading = page.locator('[data-test="campaign-tree"] .el-table__row', { hasText: '深化简政放权和审批服务' })
      await heading.locator('.el-checkbox').first().click()
      await page.locator('[data-test="breakdown"]').click()
      const bd = page.locator('.el-dialog:visible', { hasText: '任务分解' })
      await bd.waitFor()
      await page.locator('[data-test="bd-unit"]').click()
      await page.keyboard.type('区市场监管局')
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: /^区市场监管局$/ }).click()
      const due = bd.locator('.el-form-item', { has: page.locator('.el-form-item__label:text-is("完成时限")') }).locator('input').first()
      await due.fill('2026-12-31')
      await due.press('Enter')
      await bd.locator('[data-test="bd-submit"]').click()
      await page.locator('.el-message--success', { hasText: '已分解' }).waitFor()
      const item = page.locator('[data-test="campaign-tree"] .el-table__row', { hasText: '政务服务事项网上可办' })
      await waitText(item, '区市场监管局')
      await screenshot(page, 'indicator-breakdown')
      await item.locator('a.link').click()
      await page.waitForURL(/\/indicator\/assignments\/\d+$/)
      const assignmentURL = page.url()

      // 3. The unit: evidence, checklist self-score (2 of 3), submit.
      await loginAs(page, baseURL, 'clerk_sj')
      await page.goto(`${baseURL}/indicator/assignments`)
      await page.locator('.el-table__row', { hasText: '政务服务事项网上可办' }).first().waitFor()
      await page.goto(assignmentURL)
      await page.locator('[data-test="upload"]').waitFor()
      await page.locator('input[data-test="evidence-file"]').setInputFiles({ name: '政务服务事项清单.pdf', mimeType: 'application/pdf', buffer: pdf })
      await page.locator('[data-test="evidence"] .el-table__row', { hasText: '政务服务事项清单.pdf' }).waitFor()
      await page.locator('[data-test="check-0"]').click()
      await page.locator('[data-test="check-1"]').click()
      await fillTest(page, 'self-note', '网上可办率 98%，审批时限平均压减 40%')
      await page.locator('[data-test="save-self"]').click()
      await page.locator('.el-message--success', { hasText: '已保存自评' }).waitFor()
      await waitText(page.locator('[data-test="score"]'), '2')
      await page.locator('[data-test="submit"]').click()
      await waitText(page.locator('[data-test="status"]'), '待复核')
      await screenshot(page, 'indicator-submitted')

      // 4. The 司法局 returns it: an opinion is required.
      await loginAs(page, baseURL, 'sifaju')
      await page.goto(assignmentURL)
      await page.locator('[data-test="return"]').click()
      assert((await errorToast(page)).includes('复核意见'), 'return without an opinion')
      await fillTest(page, 'opinion', '缺少超时办结情况核查记录，请补充')
      await page.locator('[data-test="return"]').click()
      await waitText(page.locator('[data-test="status"]'), '退回修改')

      // 5. The unit corrects and resubmits.
      await loginAs(page, baseURL, 'clerk_sj')
      await page.goto(assignmentURL)
      await waitText(page.locator('[data-test="review-note"]'), '缺少超时办结情况核查记录')
      await page.locator('input[data-test="evidence-file"]').setInputFiles({ name: '超时办结核查记录.pdf', mimeType: 'application/pdf', buffer: pdf })
      await page.locator('[data-test="evidence"] .el-table__row', { hasText: '超时办结核查记录.pdf' }).waitFor()
      await page.locator('[data-test="check-2"]').click()
      await fillTest(page, 'self-note', '已补充超时办结核查记录，三项均已完成')
      await page.locator('[data-test="save-self"]').click()
      await waitText(page.locator('[data-test="score"]'), '3')
      await page.locator('[data-test="submit"]').click()
      await waitText(page.locator('[data-test="status"]'), '待复核')

      // 6. Approved: the final score, on the tree and in the score sheet.
      await loginAs(page, baseURL, 'sifaju')
      await page.goto(assignmentURL)
      await fillTest(page, 'opinion', '材料齐全，同意')
      await page.locator('[data-test="approve"]').click()
      await waitText(page.locator('[data-test="status"]'), '已定分')
      await waitText(page.locator('[data-test="score"]'), '3')
      await screenshot(page, 'indicator-approved')
      await page.goto(campaignURL)
      await waitText(page.locator('[data-test="campaign-tree"] .el-table__row', { hasText: '政务服务事项网上可办' }), '已定分')
      await waitText(page.locator('[data-test="campaign-tree"] .el-table__row', { hasText: '深化简政放权和审批服务' }), '3 / 8')
      const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="score-sheet"]').click()])
      const chunks = []
      for await (const c of await dl.createReadStream()) chunks.push(c)
      const text = xlsxText(Buffer.concat(chunks))
      assert(text.includes('评分表') && text.includes('区市场监管局') && text.includes('已定分') && text.includes('材料齐全，同意'), 'score sheet lacks the final score row')
      await screenshot(page, 'indicator-campaign')
    },
  },
]
