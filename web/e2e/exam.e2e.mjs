// 在线考试 in the browser: clerk_sj (an officer linked to the account)
// starts the open demo exam from 我的考试, answers some questions (saved on
// the server as they change), reloads mid-way (answers and the countdown
// come back from the server), answers the rest, submits and sees the
// score. After submission the server refuses any further answer; no
// response of the walk carries an answer key.
import { assert, screenshot } from './lib.mjs'
import { loginAs, waitText } from './flows.mjs'

const keyFields = ['answer', 'key', 'explanation', 'correct']

function keysIn(x, out = []) {
  if (Array.isArray(x)) x.forEach((v) => keysIn(v, out))
  else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) { out.push(k); keysIn(v, out) }
  return out
}

async function answer(page, pos) {
  const q = page.locator(`[data-testid="q-${pos}"]`)
  const opt = q.locator('.el-radio, .el-checkbox').first()
  await opt.click()
}

function seconds(text) {
  const m = text.match(/(\d+):(\d{2})(?::(\d{2}))?/)
  if (!m) return -1
  return m[3] !== undefined ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : Number(m[1]) * 60 + Number(m[2])
}

export const tests = [
  {
    name: '在线考试：开始、作答、刷新后恢复作答与倒计时、交卷、查看成绩',
    async run({ page, baseURL }) {
      const seen = []
      page.on('response', async (res) => {
        if (!res.url().includes('/api/exam/')) return
        try {
          seen.push({ url: res.url(), keys: keysIn(await res.json()) })
        } catch {
          /* not JSON */
        }
      })
      await loginAs(page, baseURL, 'clerk_sj')
      await page.goto(`${baseURL}/exam/my`)
      const row = page.locator('[data-testid="my-exams"] .el-table__row', { hasText: '2026 年下半年行政执法人员法律知识考试' }).first()
      await row.waitFor()
      await row.getByRole('button', { name: '开始考试' }).click()
      await page.waitForURL(/\/exam\/attempts\/\d+$/)
      const attemptURL = page.url()
      const attemptID = attemptURL.match(/(\d+)$/)[1]
      const countdown = page.locator('[data-testid="countdown"]')
      await waitText(countdown, '剩余')
      const total = await page.locator('[data-testid^="q-"]').count()
      assert(total === 55, `paper has ${total} questions`)
      const before = seconds(await countdown.innerText())
      assert(before > 3500 && before <= 3600, `countdown starts at ${before}s`)

      for (let pos = 1; pos <= 12; pos++) await answer(page, pos)
      await waitText(page.locator('[data-testid="save-state"]'), '已自动保存', 10000)
      await screenshot(page, 'exam-answering')

      // Reload mid-way: the server gives back the answers and the time left.
      await page.reload()
      await waitText(countdown, '剩余')
      await waitText(page.locator('.el-card__header'), '已答 12 / 55')
      for (const pos of [1, 7, 12]) {
        const checked = await page.locator(`[data-testid="q-${pos}"] .is-checked`).count()
        assert(checked > 0, `question ${pos} lost its saved answer after the reload`)
      }
      const after = seconds(await countdown.innerText())
      assert(after <= before && after > before - 300, `countdown after reload ${after}s (before ${before}s)`)

      for (let pos = 13; pos <= total; pos++) await answer(page, pos)
      await waitText(page.locator('.el-card__header'), `已答 ${total} / ${total}`)
      await page.locator('[data-testid="submit"]').click()
      await page.locator('.el-message-box').getByRole('button', { name: '交卷' }).click()
      const result = page.locator('[data-testid="result"]')
      await result.waitFor()
      await waitText(page.locator('[data-testid="score"]'), '得分')
      const score = await page.locator('[data-testid="score"]').innerText()
      assert(/得分 \d+ 分（满分 100 分，合格线 60 分）/.test(score), `score line: ${score}`)
      await screenshot(page, 'exam-result')

      // The server refuses an answer to the submitted paper.
      const late = await page.evaluate(async (id) => {
        const res = await fetch(`/api/exam/attempts/${id}/answers`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ answers: [{ pos: 1, answer: 'A' }] }) })
        return res.status
      }, attemptID)
      assert(late === 409, `answer after submission: ${late}`)

      // 我的考试 shows the result.
      await page.goto(`${baseURL}/exam/my`)
      await waitText(page.locator('[data-testid="my-exams"] .el-table__row', { hasText: '2026 年下半年' }).first(), '分')
      await screenshot(page, 'exam-my')

      const leaked = seen.filter((r) => r.keys.some((k) => keyFields.includes(k)))
      assert(seen.length >= 5, `only ${seen.length} exam responses seen`)
      assert(leaked.length === 0, `answer keys in: ${leaked.map((r) => r.url).join(', ')}`)
    },
  },
  {
    name: '考试管理：无人作答前修改、删除；已有人作答的考试不能修改',
    async run({ page, baseURL }) {
      await loginAs(page, baseURL, 'sifaju')
      const e = await page.evaluate(async () => {
        const me = await (await fetch('/api/auth/me')).json()
        const opens = new Date(Date.now() + 7 * 86400e3).toISOString()
        const closes = new Date(Date.now() + 14 * 86400e3).toISOString()
        const res = await fetch('/api/exam/exams', {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ purpose: 'enforcement', unit_id: me.unit.id, title: '浏览器测试：待修改的考试', duration_min: 30, pass_mark: 10, max_attempts: 2,
            opens_at: opens, closes_at: closes, quotas: [{ topic: '行政处罚法', kind: 'single', count: 5, points: 2 }, { topic: '行政处罚法', kind: 'judge', count: 5, points: 2 }] }),
        })
        return { status: res.status, body: await res.json() }
      })
      assert(e.status === 201, `exam create ${e.status} ${JSON.stringify(e.body)}`)

      // 1. Edited before anyone sat it.
      await page.goto(`${baseURL}/exam/exams/${e.body.id}`)
      await waitText(page.locator('[data-test="exam-title"]'), '待修改的考试')
      await page.locator('[data-test="exam-edit"]').click()
      await page.locator('.el-dialog:visible', { hasText: '修改考试' }).waitFor()
      await page.locator('input[data-test="exam-edit-title"]').fill('浏览器测试：已修改的考试')
      await page.locator('[data-test="exam-edit-save"]').click()
      await page.locator('.el-message--success', { hasText: '已修改' }).waitFor()
      await waitText(page.locator('[data-test="exam-title"]'), '已修改的考试')
      await screenshot(page, 'exam-edited')

      // 2. Deleted (nobody sat it): back to the list, gone from it.
      await page.locator('[data-test="exam-delete"]').click()
      await page.locator('.el-message-box').getByRole('button', { name: /确定|OK/ }).click()
      await page.locator('.el-message--success', { hasText: '已删除' }).waitFor()
      await page.waitForURL(/\/exam\/exams$/)
      const gone = await page.evaluate(async (id) => (await fetch(`/api/exam/exams/${id}`)).status, e.body.id)
      assert(gone === 404, `deleted exam answers ${gone}`)

      // 3. The first-half exam, sat by many, refuses an edit.
      const held = await page.evaluate(async () => {
        const list = await (await fetch('/api/exam/exams?q=' + encodeURIComponent('2026 年上半年'))).json()
        return list.items[0].id
      })
      await page.goto(`${baseURL}/exam/exams/${held}`)
      await page.locator('[data-test="exam-edit"]').click()
      await page.locator('.el-dialog:visible', { hasText: '修改考试' }).waitFor()
      await page.locator('[data-test="exam-edit-save"]').click()
      await waitText(page.locator('.el-message--error, .el-alert--error').first(), '人次作答')
    },
  },
]
