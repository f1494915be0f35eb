// Tiny browser-test runner: imports every *.e2e.mjs next to this file, runs
// each exported test with a fresh chromium profile, prints the result of each,
// and ends with "N passed, M failed" (exit code 1 on any failure).
//
//   BASE_URL=http://127.0.0.1:8080 node e2e/run.mjs   against a running fazhi serve
//   MOCK=1 node e2e/run.mjs                           against e2e/mock-server.mjs + dist
//   node e2e/run.mjs login                            only files/tests matching "login"
import { readdir } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { join } from 'node:path'
import { launch, screenshot } from './lib.mjs'

const dir = fileURLToPath(new URL('.', import.meta.url))
const filter = process.argv[2] || ''
const TEST_TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS || 120_000)

let mock = null
let baseURL = process.env.BASE_URL
if (process.env.MOCK === '1') {
  const { startMockServer } = await import('./mock-server.mjs')
  mock = await startMockServer(0)
  baseURL = mock.url
  console.log(`mock mode: ${baseURL}`)
}
if (!baseURL) {
  console.error('BASE_URL is not set (or use MOCK=1)')
  process.exit(2)
}
baseURL = baseURL.replace(/\/+$/, '')

const files = (await readdir(dir)).filter((f) => f.endsWith('.e2e.mjs')).sort()
const tests = []
for (const f of files) {
  const mod = await import(pathToFileURL(join(dir, f)).href)
  for (const t of mod.tests ?? []) {
    const name = `${f.replace(/\.e2e\.mjs$/, '')} › ${t.name}`
    if (!filter || name.includes(filter)) tests.push({ ...t, name })
  }
}

let passed = 0
let failed = 0
for (const t of tests) {
  const started = Date.now()
  const browser = await launch()
  const page = await browser.context.newPage()
  const consoleErrors = []
  page.on('pageerror', (e) => consoleErrors.push(String(e)))
  let timer
  try {
    await Promise.race([
      t.run({ page, baseURL, context: browser.context }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${TEST_TIMEOUT_MS} ms`)), TEST_TIMEOUT_MS)
      }),
    ])
    if (consoleErrors.length) throw new Error(`uncaught page errors: ${consoleErrors.join(' | ')}`)
    passed++
    console.log(`ok   ${t.name} (${Date.now() - started} ms)`)
  } catch (e) {
    failed++
    console.log(`FAIL ${t.name} (${Date.now() - started} ms)`)
    console.log(`     ${String(e?.stack || e).split('\n').slice(0, 6).join('\n     ')}`)
    const shot = await screenshot(page, `failed-${t.name.replace(/[^\w\u4e00-\u9fa5-]+/g, '_')}`).catch(() => null)
    if (shot) console.log(`     screenshot: ${shot}`)
  } finally {
    clearTimeout(timer)
    await browser.close()
  }
}

if (mock) await mock.close()
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 && passed > 0 ? 0 : 1)
