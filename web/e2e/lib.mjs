// Shared helpers for the browser tests: launching Debian's chromium through
// playwright-core with a fresh profile, and small assertions.
import { chromium } from 'playwright-core'
import { mkdtemp, mkdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const OUT_DIR = fileURLToPath(new URL('./out/', import.meta.url))
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'

export const DEMO_USERNAME = process.env.DEMO_USERNAME || 'sifaju'
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD || 'Fazhi@2026demo'

/** Launches chromium with a throwaway profile; close() also removes the profile. */
export async function launch() {
  const profile = await mkdtemp(join(tmpdir(), 'fazhi-e2e-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1366, height: 800 },
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  })
  return {
    context,
    async close() {
      await context.close().catch(() => {})
      await rm(profile, { recursive: true, force: true })
    },
  }
}

export async function screenshot(page, name) {
  await mkdir(OUT_DIR, { recursive: true })
  const path = join(OUT_DIR, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}

export function assert(cond, message) {
  if (!cond) throw new Error(message)
}
