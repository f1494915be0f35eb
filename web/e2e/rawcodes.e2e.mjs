// No raw codes on screen (issue 12): walking the main pages — lists, overviews
// and the first record of each register — as the 司法局, a department clerk and
// the leader, no visible text may hold an identifier-shaped string such as
// decision.legal_review_rate or a role code. Code views (<code>, <pre>,
// [data-code]) and file names are allowed.
import { assert, screenshot } from './lib.mjs'
import { loginAs } from './flows.mjs'

const PAGES = [
  '/',
  '/todo',
  '/findings',
  '/decisions',
  '/decisions/overview',
  '/decisions/catalogues',
  '/decisions/categories',
  '/decisions/experts',
  '/legalreviews',
  '/legalreviews/overview',
  '/legalreviews/config',
  '/normdocs',
  '/normdocs/ledger',
  '/normdocs/issuers',
  '/normdocs/cleanups',
  '/notifications',
  '/account',
  '/system/org-units',
  '/system/calendar',
]

// The first record of each register (its list API, then its page).
const DETAILS = [
  ['/api/findings?page=1&page_size=1', '/findings/'],
  ['/api/decisions?page=1&page_size=1', '/decisions/'],
  ['/api/legalreviews?page=1&page_size=1', '/legalreviews/'],
  ['/api/normdocs?page=1&page_size=1', '/normdocs/'],
]

/** Identifier-shaped strings in the page's visible text outside code views. */
async function rawCodes(page) {
  return page.evaluate(() => {
    const skip = (el) => el.closest('code, pre, [data-code], script, style, svg, canvas')
    const found = new Set()
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    const files = /\.(pdf|docx?|xlsx?|ofd|zip|png|jpe?g|txt|csv|json)$/i
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement
      if (!el || skip(el) || !el.getClientRects().length) continue
      const style = getComputedStyle(el)
      if (style.visibility === 'hidden' || style.display === 'none') continue
      for (const m of n.textContent.matchAll(/(?<![\w.@/-])[a-z_]+\.[a-z_]+(?![\w@/-])/g)) {
        if (!files.test(m[0])) found.add(m[0])
      }
    }
    return [...found]
  })
}

// Lists and figures load after navigation: wait for Element Plus's loading
// masks to go, then a moment for the last render.
async function settle(page) {
  await page.waitForSelector('.el-loading-mask', { state: 'detached', timeout: 5000 }).catch(() => {})
  await page.waitForTimeout(400)
}

async function walk(page, baseURL, user, pages, details) {
  const bad = []
  const check = async (where) => {
    await settle(page)
    const codes = await rawCodes(page)
    if (process.env.E2E_VERBOSE) console.log(`  ${user} ${where}: ${codes.join(', ') || 'ok'}`)
    if (codes.length) {
      bad.push(`${user} ${where}: ${codes.join(', ')}`)
      await screenshot(page, `rawcodes-${user}-${where.replace(/\W+/g, '_')}`)
    }
  }
  for (const p of pages) {
    await page.goto(`${baseURL}${p}`)
    await check(p)
  }
  for (const [api, route] of details) {
    const id = await page.evaluate(async (api) => {
      const r = await fetch(api)
      return r.ok ? (await r.json()).items?.[0]?.id : undefined
    }, api)
    assert(id, `${user}: no record from ${api}`)
    await page.goto(`${baseURL}${route}${id}`)
    await check(`${route}${id}`)
  }
  return bad
}

// Each role's walk is its own test (one timeout each): the 司法局 sees every
// page; the clerk and the leader their home page, to-do list and account.
const walks = [
  ['sifaju', PAGES, DETAILS],
  ['clerk_sj', ['/', '/todo', '/account', '/findings'], DETAILS.slice(0, 1)],
  ['leader', ['/', '/account', '/decisions/overview'], []],
]

export const tests = walks.map(([user, pages, details]) => ({
  name: `主要页面不显示代码样式的标识（${user}）`,
  async run({ page, baseURL }) {
    await loginAs(page, baseURL, user)
    const bad = await walk(page, baseURL, user, pages, details)
    assert(bad.length === 0, `raw codes on screen:\n${bad.join('\n')}`)
  },
}))
