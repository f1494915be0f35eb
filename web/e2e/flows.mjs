// Helpers shared by the legality-review, normative-document and findings
// browser tests: signing in as one demo user after another in the same
// page, waiting for texts, today's date in Shanghai and a tiny ZIP reader
// (to open a downloaded .docx and read word/document.xml).
import { inflateRawSync } from 'node:zlib'
import { assert, DEMO_PASSWORD } from './lib.mjs'

// Session cookies of users already signed in during this run. The server
// allows a limited number of login attempts per address and minute (as it
// should), so each demo user signs in through the login page once and the
// next test that acts as the same user reuses the session.
const sessions = new Map()

/** Signs the page in as username (ending any earlier session first). */
export async function loginAs(page, baseURL, username) {
  const context = page.context()
  await context.clearCookies()
  const saved = sessions.get(`${baseURL} ${username}`)
  if (saved) {
    await context.addCookies(saved)
    const me = await context.request.get(`${baseURL}/api/auth/me`)
    if (me.ok() && (await me.json()).username === username) {
      // Either way the page ends on the site signed in: a test may fetch
      // a relative URL next, which needs the site's origin.
      await page.goto(`${baseURL}/`)
      return
    }
    await context.clearCookies()
  }
  await page.goto(`${baseURL}/login`)
  await page.getByPlaceholder('用户名').fill(username)
  await page.getByPlaceholder('密码').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: '登 录' }).click()
  await page.waitForURL((u) => new URL(u).pathname === '/')
  sessions.set(`${baseURL} ${username}`, await context.cookies())
}

/** Today in Asia/Shanghai as YYYY-MM-DD. */
export function todayShanghai() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
}

/** A suffix that keeps titles of repeated runs apart. */
export function uniq() {
  return `${Date.now() % 1000000}${Math.floor(Math.random() * 90 + 10)}`
}

/** Waits until locator's text satisfies pred (string: includes). */
export async function waitText(locator, want, timeoutMs = 8000) {
  const pred = typeof want === 'string' ? (t) => t.includes(want) : (t) => want.test(t)
  const until = Date.now() + timeoutMs
  let last = ''
  while (Date.now() < until) {
    last = (await locator.first().innerText().catch(() => '')).trim()
    if (pred(last)) return last
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`text "${last}" does not match ${want}`)
}

/** The text of the latest error toast (ElMessage) on the page. */
export async function errorToast(page) {
  const msg = page.locator('.el-message--error .el-message__content').last()
  await msg.waitFor()
  return (await msg.innerText()).trim()
}

/** Fills an input or textarea marked data-test (on the element or its wrapper). */
export async function fillTest(page, testId, value) {
  const sel = ['textarea', 'input'].flatMap((t) => [`[data-test="${testId}"] ${t}`, `${t}[data-test="${testId}"]`]).join(', ')
  await page.locator(sel).first().fill(value)
}

/** Types a date into the el-date-picker marked data-test and leaves the field (which applies it). */
export async function fillDate(page, testId, value) {
  const el = page.locator(`[data-test="${testId}"] input, input[data-test="${testId}"]`).first()
  await el.fill(value)
  await el.press('Tab')
  await page.keyboard.press('Escape').catch(() => {})
}

/** Chooses an option of the el-select marked data-test=testId. */
export async function choose(page, testId, text) {
  await page.locator(`[data-test="${testId}"]`).click()
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: text }).first().click()
}

/** Entries of a ZIP archive: name → Buffer (stored or deflated entries). */
export function unzip(buf) {
  assert(buf.length > 22 && buf.readUInt32LE(0) === 0x04034b50, 'not a ZIP file (no PK header)')
  let eocd = -1
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i
      break
    }
  }
  assert(eocd >= 0, 'ZIP end-of-central-directory record not found')
  const count = buf.readUInt16LE(eocd + 10)
  let p = buf.readUInt32LE(eocd + 16)
  const out = new Map()
  for (let n = 0; n < count; n++) {
    assert(buf.readUInt32LE(p) === 0x02014b50, 'bad ZIP central directory entry')
    const method = buf.readUInt16LE(p + 10)
    const csize = buf.readUInt32LE(p + 20)
    const nameLen = buf.readUInt16LE(p + 28)
    const extraLen = buf.readUInt16LE(p + 30)
    const commentLen = buf.readUInt16LE(p + 32)
    const local = buf.readUInt32LE(p + 42)
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8')
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28)
    const data = buf.subarray(dataAt, dataAt + csize)
    out.set(name, method === 0 ? Buffer.from(data) : inflateRawSync(data))
    p += 46 + nameLen + extraLen + commentLen
  }
  return out
}

/** The plain text of a .docx (the w:t runs of word/document.xml joined). */
export function docxText(buf) {
  const xml = unzip(buf).get('word/document.xml')
  assert(xml, 'word/document.xml missing from the .docx')
  return [...xml.toString('utf8').matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('')
}

/** Opens the review page as user, writes an opinion and approves the task. */
export async function approveReview(page, baseURL, user, reviewID, opinion) {
  await loginAs(page, baseURL, user)
  await page.goto(`${baseURL}/legalreviews/${reviewID}`)
  const card = page.locator('[data-test="task-card"]')
  await card.waitFor()
  await fillTest(page, 'task-opinion', opinion)
  await page.locator('[data-test="task-submit"]').click()
  // The task card goes away once the step is done for this user.
  await card.waitFor({ state: 'detached' })
  await waitText(page.locator('.el-timeline'), opinion)
}
