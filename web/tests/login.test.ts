import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import LoginView from '@/views/LoginView.vue'

function jsonResponse(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

async function mountAt(path: string) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', name: 'login', component: LoginView },
      { path: '/', component: { template: '<div />' } },
    ],
  })
  await router.push(path)
  const wrapper = mount(LoginView, { global: { plugins: [router] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('LoginView single sign-on', () => {
  it('shows the SSO button when the server enables it, and the sso_error from the query', async () => {
    const fetchMock = vi.fn(async () => jsonResponse({ enabled: true, login_url: '/api/auth/oidc/login', label: '统一身份认证登录' }))
    vi.stubGlobal('fetch', fetchMock)
    const wrapper = await mountAt('/login?sso_error=' + encodeURIComponent('账号已锁定，请 15 分钟后再试'))
    expect(String((fetchMock.mock.calls[0] as unknown[])[0])).toBe('/api/auth/oidc/config')
    const button = wrapper.find('[data-test="sso-login"]')
    expect(button.exists()).toBe(true)
    expect(button.text()).toBe('统一身份认证登录')
    expect(wrapper.find('[data-test="sso-error"]').text()).toContain('账号已锁定，请 15 分钟后再试')
    wrapper.unmount()
  })

  it('hides the button when SSO is off and shows no error without sso_error', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse({ enabled: false, label: '统一身份认证登录' })))
    const wrapper = await mountAt('/login')
    expect(wrapper.find('[data-test="sso-login"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="sso-error"]').exists()).toBe(false)
    expect(wrapper.text()).toContain('登 录')
    wrapper.unmount()
  })

  it('keeps password sign-in when the config request fails', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('network') }))
    const wrapper = await mountAt('/login')
    expect(wrapper.find('[data-test="sso-login"]').exists()).toBe(false)
    expect(wrapper.find('input[name="username"]').exists()).toBe(true)
    wrapper.unmount()
  })
})
