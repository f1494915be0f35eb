// The foundation's browser checks: sign in and see the home page; unknown
// routes show the 404 page.
import { assert, DEMO_PASSWORD, DEMO_USERNAME, screenshot } from './lib.mjs'

export const tests = [
  {
    name: '登录后进入首页并看到统计数字',
    async run({ page, baseURL }) {
      await page.goto(`${baseURL}/`)
      await page.waitForURL(/\/login\?redirect=/)
      await page.getByText('法治政府建设管理平台').first().waitFor()
      await screenshot(page, 'login')

      // A wrong password shows the server's Chinese message in the form.
      await page.getByPlaceholder('用户名').fill(DEMO_USERNAME)
      await page.getByPlaceholder('密码').fill('wrong-password')
      await page.getByPlaceholder('密码').press('Enter')
      const alert = page.locator('[data-test="login-error"]')
      await alert.waitFor()
      const alertText = (await alert.innerText()).trim()
      assert(/[\u4e00-\u9fa5]/.test(alertText), `login error is not Chinese: "${alertText}"`)
      assert(alertText.includes('用户名或密码错误'), `unexpected login error: "${alertText}"`)
      assert(new URL(page.url()).pathname === '/login', 'still on the login page after a wrong password')

      // The right password lands on the home page.
      await page.getByPlaceholder('密码').fill(DEMO_PASSWORD)
      await page.getByRole('button', { name: '登 录' }).click()
      await page.waitForURL((u) => new URL(u).pathname === '/')

      const me = await page.evaluate(async () => (await fetch('/api/auth/me')).json())
      assert(me && me.name, 'GET /api/auth/me returned no name after login')
      const header = page.locator('[data-test="current-user"]')
      await header.waitFor()
      const headerText = await header.innerText()
      assert(headerText.includes(me.name), `header "${headerText}" lacks the user's name "${me.name}"`)
      assert(headerText.includes(me.unit.name), `header "${headerText}" lacks the unit "${me.unit.name}"`)

      const value = page.locator('.stat-card .stat-value').first()
      await value.waitFor()
      const cards = await page.locator('.stat-card').count()
      const text = (await value.innerText()).trim()
      assert(cards >= 1, 'no figure cards on the home page')
      assert(/^\d[\d,.]*$/.test(text), `first figure is not a number: "${text}"`)
      const bell = page.locator('[data-test="notification-bell"]')
      assert((await bell.count()) === 1, 'no notification bell in the header')
      // Let the chart finish its entry animation before the screenshot.
      await page.waitForTimeout(800)
      await screenshot(page, 'home')

      // 退出登录 asks for confirmation, ends the session and returns to login.
      await page.getByRole('button', { name: '退出登录' }).click()
      await page.locator('.el-message-box').getByRole('button', { name: '退出' }).click()
      await page.waitForURL(/\/login/)
      const after = await page.evaluate(async () => (await fetch('/api/auth/me')).status)
      assert(after === 401, `GET /api/auth/me after logout answered ${after}, want 401`)
    },
  },
  {
    name: '未知地址显示404页面',
    async run({ page, baseURL }) {
      const res = await page.goto(`${baseURL}/no/such/page-${Date.now()}`)
      assert(res && res.status() === 200, `history fallback should serve index.html, got ${res && res.status()}`)
      await page.getByText('页面不存在').waitFor()
      const back = page.getByRole('button', { name: '返回首页' })
      await back.waitFor()
      await screenshot(page, 'not-found')
      await back.click()
      // Not signed in: the home page sends us to login.
      await page.waitForURL(/\/login/)
    },
  },
]
