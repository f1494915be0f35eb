// 重大行政决策 walked through the pages: a new catalogue with one matter,
// party agreement and publication; the decision started from it; draft,
// public consultation, expert review and risk assessment; the collective
// decision refused before the legality review passed (the service's
// message shown in the page); the review carried through its chain; then
// collective decision, party-committee report and publication; finally the
// public consultation page without a session.
import { request } from 'playwright-core'
import { assert, DEMO_PASSWORD, DEMO_USERNAME, screenshot } from './lib.mjs'
import { loginAs } from './flows.mjs'

// The district government office's account: the collective decision, the
// party-committee report and the publication are the government's acts.
const OFFICE = 'zfb'

const TITLE = `清河区养老服务设施布局规划（浏览器测试 ${Date.now() % 100000}）`

async function login(page, baseURL) {
  await page.goto(`${baseURL}/login`)
  await page.getByPlaceholder('用户名').fill(DEMO_USERNAME)
  await page.getByPlaceholder('密码').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: '登 录' }).click()
  await page.waitForURL((u) => new URL(u).pathname === '/')
}

/** Chooses an option of the el-select marked data-test=testId. */
async function choose(page, testId, text) {
  await page.locator(`[data-test="${testId}"]`).click()
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: text }).first().click()
}

async function fill(page, testId, value) {
  const sel = ['textarea', 'input'].flatMap((t) => [`[data-test="${testId}"] ${t}`, `${t}[data-test="${testId}"]`]).join(', ')
  await page.locator(sel).first().fill(value)
}

/** Opens the action of a step on the decision page and fills its form. */
async function act(page, step, action, fields = {}) {
  await page.locator(`[data-step="${step}"] [data-test="act-${action}"]`).click()
  const dialog = page.locator('.el-dialog:visible')
  await dialog.waitFor()
  for (const [k, v] of Object.entries(fields)) await fill(page, k, v)
  return dialog
}

async function save(page) {
  await page.locator('.el-dialog:visible [data-test="submit-step"]').click()
}

async function stepState(page, step) {
  return (await page.locator(`[data-step="${step}"] [data-test="step-state"]`).innerText()).trim()
}

async function waitState(page, step, want) {
  for (let i = 0; i < 50; i++) {
    if ((await stepState(page, step)) === want) return
    await page.waitForTimeout(100)
  }
  throw new Error(`step ${step}: state "${await stepState(page, step)}", want "${want}"`)
}

/** Signs a demo user in through the API (a separate cookie jar). */
async function apiAs(baseURL, username) {
  const ctx = await request.newContext({ baseURL })
  const res = await ctx.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } })
  assert(res.ok(), `login ${username}: ${res.status()}`)
  return ctx
}

export const tests = [
  {
    name: '从决策事项目录到决策公布，未经合法性审查不得集体讨论',
    async run({ page, baseURL, context }) {
      await login(page, baseURL)

      // 1. A catalogue for 2027 with one matter, agreed by the party committee, published.
      await page.goto(`${baseURL}/decisions/catalogues`)
      await page.locator('[data-test="new-catalogue"]').click()
      await fill(page, 'cat-year', '2027')
      await choose(page, 'cat-unit', '清河区人民政府')
      await page.locator('[data-test="cat-create"]').click()
      await page.waitForURL(/\/decisions\/catalogues\/\d+$/)
      await page.locator('[data-test="add-item"]').click()
      await choose(page, 'item-category', '公共服务')
      await fill(page, 'item-title', TITLE)
      await choose(page, 'item-unit', '区民政局')
      await page.locator('[data-test="item-save"]').click()
      await page.getByRole('cell', { name: TITLE }).waitFor()
      await page.locator('[data-test="approve"]').click()
      await fill(page, 'party-date', '2026-11-20')
      await fill(page, 'party-note', '中共清河区委常委会2026年第28次会议研究同意')
      await page.locator('[data-test="approve-save"]').click()
      await page.locator('[data-test="cat-status"]', { hasText: '已审定' }).waitFor()
      await page.locator('[data-test="publish"]').click()
      // The publication date is prefilled with today (required by the service).
      const published = await page.locator('[data-test="publish-date"] input, input[data-test="publish-date"]').first().inputValue()
      assert(/^\d{4}-\d{2}-\d{2}$/.test(published), `publication date not prefilled: "${published}"`)
      await page.locator('[data-test="publish-save"]').click()
      await page.locator('[data-test="cat-status"]', { hasText: '已公布' }).waitFor()

      // 2. Start the decision from the catalogue item.
      await page.goto(`${baseURL}/decisions`)
      await page.locator('[data-test="start-decision"]').click()
      await choose(page, 'catalogue-item', TITLE)
      await fill(page, 'body', '清河区人民政府')
      await fill(page, 'reason', '老年人口占比已达21%，养老服务设施缺口较大')
      await fill(page, 'approver', '区政府主要负责同志批示同意启动')
      await page.locator('[data-test="submit-start"]').click()
      await page.waitForURL(/\/decisions\/\d+$/)
      const decisionId = Number(new URL(page.url()).pathname.split('/').pop())
      await waitState(page, 'start', '已完成')

      // 3. Draft, public consultation (a past 30-day period), expert review and risk not required.
      await act(page, 'draft', 'draft', { 'f-options': '方案一：每个街道建设一所综合养老服务中心\n方案二：社区嵌入式小微机构', 'f-cost': '总投资约3.2亿元，新增床位1800张', 'f-summary': '养老服务设施布局、规模和建设时序' })
      await save(page)
      await waitState(page, 'draft', '已完成')
      await act(page, 'consultation', 'consultation', { 'f-channels': '区政府门户网站', 'f-summary': '《清河区养老服务设施布局规划（征求意见稿）》', 'f-start': '2026-09-01', 'f-end': '2026-10-08' })
      await save(page)
      await waitState(page, 'consultation', '进行中')
      await act(page, 'consultation', 'consultation_close', { 'f-feedback': '收到意见9条，采纳6条' })
      await save(page)
      await waitState(page, 'consultation', '已完成')
      await act(page, 'expert', 'skip', { 'f-reason': '不属于专业性、技术性较强的事项' })
      await save(page)
      await waitState(page, 'expert', '无需进行')
      await act(page, 'risk', 'skip', { 'f-reason': '经研判不涉及社会稳定、公共安全风险' })
      await save(page)
      await waitState(page, 'risk', '无需进行')

      // 4. The responsible side cannot record the government's acts: no such
      // action for the 司法局 account. The government office records the
      // collective decision — refused before the legality review, with the
      // service's message.
      assert((await page.locator('[data-step="collective"] [data-test="act-collective"]').count()) === 0, 'the collective decision is offered to a non-body account')
      await loginAs(page, baseURL, OFFICE)
      await page.goto(`${baseURL}/decisions/${decisionId}`)
      await waitState(page, 'collective', '未开始')
      const collective = { 'f-meeting-name': '区政府2027年第3次常务会议', 'f-meeting-on': '2027-01-20', 'f-attendees': '刘区长\n陈常务副区长\n杨副区长', 'f-vote-name-0': '陈常务副区长', 'f-head': '刘区长' }
      // The page offers the blocked step disabled, with the gate's reason (issue 12);
      // the service refuses it with the same message when sent anyway.
      const blocked = page.locator('[data-step="collective"] [data-test="act-collective"]')
      assert(await blocked.isDisabled(), 'the collective decision is offered before the legality review')
      const reason = await blocked.getAttribute('title')
      assert((reason ?? '').includes('未经合法性审查或审查未通过，不得提交集体讨论决定'), `unexpected reason on the button: "${reason}"`)
      const sent = await page.evaluate(async (id) => {
        const d = await (await fetch(`/api/decisions/${id}`)).json()
        const r = await fetch(`/api/decisions/${id}/collective`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ version: d.version, meeting_type: '常务会议', meeting_name: '区政府2027年第3次常务会议', meeting_on: '2027-01-20',
            attendees: ['刘区长'], votes: [], head_name: '刘区长', head_decision: 'adopt' }),
        })
        return { status: r.status, body: await r.json() }
      }, decisionId)
      assert(sent.status >= 400 && (sent.body.message ?? '').includes('未经合法性审查或审查未通过，不得提交集体讨论决定'), `unexpected refusal: ${JSON.stringify(sent)}`)
      await screenshot(page, 'decision-refused-collective')
      await page.reload()
      assert((await stepState(page, 'collective')) === '未开始', 'the refused collective decision was recorded')

      // 5. Send to legality review; the reviewers act through the chain; the conclusion comes back.
      await loginAs(page, baseURL, DEMO_USERNAME)
      await page.goto(`${baseURL}/decisions/${decisionId}`)
      await act(page, 'legal_review', 'legal_review', { 'f-summary': '送审稿、起草说明、征求意见采纳情况' })
      await save(page)
      await waitState(page, 'legal_review', '进行中')
      const detail = await page.evaluate(async (id) => (await fetch(`/api/decisions/${id}`)).json(), decisionId)
      const reviewId = detail.legal_review_id
      assert(reviewId > 0, 'no legality review opened')
      // Every review action carries the version it read (a stale one is a conflict).
      const version = async (api) => (await (await api.get(`/api/legalreviews/${reviewId}`)).json()).version
      for (const user of ['sifaju2', 'counsel_zhao', 'counsel_qian']) {
        const api = await apiAs(baseURL, user)
        const res = await api.post(`/api/legalreviews/${reviewId}/act`, { data: { action: 'approve', opinion: '经审查，同意。', version: await version(api) } })
        assert(res.ok(), `${user} approve: ${res.status()} ${await res.text()}`)
        await api.dispose()
      }
      const head = await apiAs(baseURL, DEMO_USERNAME)
      let res = await head.post(`/api/legalreviews/${reviewId}/act`, { data: { action: 'approve', opinion: '同意出具审查意见。', version: await version(head) } })
      assert(res.ok(), `head approve: ${res.status()} ${await res.text()}`)
      // Concluded on the day of submission: refused without a recorded reason, accepted with one.
      res = await head.post(`/api/legalreviews/${reviewId}/conclude`, { data: { conclusion: 'passed', summary: '主体适格、程序合法、内容合法。', opinions: [], version: await version(head) } })
      assert(res.status() === 422 && (await res.text()).includes('提前办结'), `early conclusion without a reason: ${res.status()}`)
      res = await head.post(`/api/legalreviews/${reviewId}/conclude`, { data: { conclusion: 'passed', summary: '主体适格、程序合法、内容合法。', opinions: [], version: await version(head),
        early_reason: '列入区政府常务会议本周议程', early_approver: '区司法局局长王建国' } })
      assert(res.ok(), `conclude: ${res.status()} ${await res.text()}`)
      await head.dispose()
      await page.locator('[data-step="legal_review"] [data-test="refresh-review"]').click()
      await waitState(page, 'legal_review', '已完成')

      // 6. Collective decision, party-committee report, publication — by the government office.
      await loginAs(page, baseURL, OFFICE)
      await page.goto(`${baseURL}/decisions/${decisionId}`)
      await waitState(page, 'legal_review', '已完成')
      const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
      await act(page, 'collective', 'collective', { ...collective, 'f-meeting-on': today })
      await save(page)
      await waitState(page, 'collective', '已完成')
      await act(page, 'party_report', 'party_report', { 'f-committee': '中共清河区委', 'f-reported-on': today, 'f-reply': '同意印发实施' })
      await save(page)
      await waitState(page, 'party_report', '已完成')
      await act(page, 'publication', 'publication', { 'f-published-on': today, 'f-channels': '区政府公报\n区政府门户网站', 'f-adoption': '公众意见采纳6条', 'f-text': '清河区人民政府关于印发养老服务设施布局规划的通知' })
      await save(page)
      await waitState(page, 'publication', '已完成')
      const status = (await page.locator('[data-test="status"]').innerText()).trim()
      assert(status === '已公布', `decision status "${status}", want 已公布`)
      await screenshot(page, 'decision-published')

      // 7. The catalogue item links to the decision.
      const cat = await page.evaluate(async () => {
        const list = await (await fetch('/api/decision-catalogues?year=2027')).json()
        return (await fetch(`/api/decision-catalogues/${list.items[0].id}`)).json()
      })
      assert(cat.items.some((i) => i.decision_ids.includes(decisionId)), 'catalogue item does not link to the decision')

      // 8. The public consultation page needs no session.
      await context.clearCookies()
      await page.goto(`${baseURL}/public/consultations`)
      await page.getByText('重大行政决策 · 公众参与').waitFor()
      assert(new URL(page.url()).pathname === '/public/consultations', `public page redirected to ${page.url()}`)
      await page.getByText('清河区中小学校布局专项规划').first().click()
      await page.locator('[data-test="public-title"]').waitFor()
      await fill(page, 'public-comment', '建议新建学校同步配套建设公共停车场。')
      await page.locator('[data-test="public-submit"]').click()
      await page.locator('[data-test="public-sent"]').waitFor()
      await screenshot(page, 'decision-public-consultation')
    },
  },
]
