// 驾驶舱 and the metric pages: the 司法局 opens the cockpit for 2026, every
// area shows its figures; a number opens its records (the ledger's total is
// the figure); a metric's page shows its definition, trend and units; the
// catalogue lists every metric; the large display is dark, 1920×1080 and
// refreshes itself.
import { assert, screenshot } from './lib.mjs'
import { loginAs } from './flows.mjs'

export const tests = [
  {
    name: '驾驶舱：按领域的指标、下钻到明细、指标页、指标目录、大屏模式',
    async run({ page, baseURL }) {
      await loginAs(page, baseURL, 'sifaju')

      // 1. The cockpit for the year 2026.
      await page.goto(`${baseURL}/cockpit?period=2026`)
      await page.locator('[data-test="cockpit-area"]').first().waitFor({ timeout: 30000 })
      const areas = await page.locator('[data-test="cockpit-area"]').count()
      const values = await page.locator('[data-test="figure-value"]').count()
      assert(areas >= 6 && values >= 30, `areas ${areas}, values ${values}`)
      const scope = await page.locator('[data-test="cockpit-scope"]').innerText()
      assert(scope.includes('2026年') && scope.includes('2025年'), `scope line: ${scope}`)
      await page.locator('[data-test="cockpit-trend"] canvas').first().waitFor()
      await page.locator('[data-test="cockpit-overdue"]').waitFor()
      await screenshot(page, 'metric-cockpit')

      // 2. Drill-down: the open findings' number opens the ledger filtered to them, whose total is the number.
      const card = page.locator('[data-key="finding.open_count"]')
      const shown = Number((await card.locator('[data-test="figure-value"]').innerText()).replace(/[^0-9]/g, ''))
      const listed = page.waitForResponse((r) => r.url().includes('/api/findings?') && r.status() === 200)
      await card.locator('[data-test="figure-value"]').click()
      const body = await (await listed).json()
      await page.waitForURL(/\/findings\?/)
      assert(body.total === shown, `figure ${shown}, ledger total ${body.total}`)
      await screenshot(page, 'metric-drilldown')

      // 3. A metric's page from its name on the cockpit.
      await page.goto(`${baseURL}/cockpit?period=2026`)
      await page.locator('[data-key="finding.closed_on_time_rate"] [data-test="metric-link"]').click()
      await page.waitForURL(/\/figures\/finding\.closed_on_time_rate/)
      await page.locator('[data-test="metric-definition"]').waitFor()
      const def = await page.locator('[data-test="metric-definition"]').innerText()
      assert(def.includes('分子') && def.includes('分母') && def.includes('汇总规则'), `definition: ${def}`)
      await page.locator('[data-test="metric-trend"] canvas').waitFor()
      await page.locator('[data-test="metric-compare"] canvas').waitFor()
      const units = await page.locator('[data-test="metric-units"] .el-table__row').count()
      assert(units >= 10, `units compared: ${units}`)
      const value = await page.locator('[data-test="metric-value"]').innerText()
      assert(value.includes('%') || value === '—', `value ${value}`)
      await screenshot(page, 'metric-page')

      // 4. The catalogue.
      await page.goto(`${baseURL}/figures`)
      await page.locator('[data-test="catalogue-area"]').first().waitFor()
      const metrics = await page.locator('[data-test="catalogue-metric"]').count()
      assert(metrics >= 40, `catalogue lists ${metrics} metrics`)
      await screenshot(page, 'metric-catalogue')

      // 5. The large display: from the cockpit, dark, 1920×1080, refreshing.
      await page.setViewportSize({ width: 1920, height: 1080 })
      await page.goto(`${baseURL}/cockpit?period=2026`)
      await page.locator('[data-test="cockpit-screen"]').click()
      await page.waitForURL(/\/screen/)
      await page.locator('[data-test="screen-value"]').first().waitFor({ timeout: 30000 })
      const stage = await page.locator('.stage').evaluate((el) => {
        const r = el.getBoundingClientRect()
        return { w: r.width, h: r.height, bg: getComputedStyle(el.parentElement).backgroundColor }
      })
      assert(Math.round(stage.w) === 1920 && Math.round(stage.h) === 1080 && stage.bg === 'rgb(4, 16, 31)', `stage ${JSON.stringify(stage)}`)
      await screenshot(page, 'metric-screen')
      // A short refresh period: the display reloads itself without a click.
      await page.goto(`${baseURL}/screen?period=2026&refresh=10`)
      await page.locator('[data-test="screen-refreshed"][data-refreshes="1"]').waitFor({ timeout: 30000 })
      await page.locator('[data-test="screen-refreshed"][data-refreshes="2"]').waitFor({ timeout: 30000 })
    },
  },
]
