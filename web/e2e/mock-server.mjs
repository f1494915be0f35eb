// A stand-in for `fazhi serve` that serves web/dist and mocks the API contract
// the front end relies on (auth, dashboard summary, notifications). Used by the
// browser tests in MOCK=1 mode and for looking at pages without the Go server.
//
//   node e2e/mock-server.mjs [port]        (0 or nothing: a free port)
import { createServer } from 'node:http'
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, resolve } from 'node:path'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'

const DIST = resolve(fileURLToPath(new URL('../dist', import.meta.url)))
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.json': 'application/json' }

export const DEMO_USER = {
  username: 'sifaju',
  password: 'Fazhi@2026demo',
  me: {
    id: 3,
    username: 'sifaju',
    name: '李文博',
    unit: { id: 12, code: '110999-SFJ', name: '示范区司法局' },
    roles: ['sfj_staff'],
    permissions: ['org.read', 'dashboard.read'],
  },
}
const MAX_FAILURES = 5

function summary() {
  return {
    generated_at: new Date().toISOString(),
    figures: [
      { code: 'org.departments', name: '政府工作部门', value: 31, unit: '个', link: '/system/org-units?type=department' },
      { code: 'org.towns', name: '乡镇（街道）', value: 12, unit: '个' },
      { code: 'org.villages', name: '村（社区）', value: 186, unit: '个' },
      { code: 'org.users', name: '系统用户', value: 1248, unit: '人' },
    ],
    units_by_type: [
      { type: 'government', label: '区人民政府', count: 1 },
      { type: 'department', label: '政府工作部门', count: 31 },
      { type: 'town', label: '乡镇（街道）', count: 12 },
      { type: 'village', label: '村（社区）', count: 186 },
    ],
  }
}

function makeNotifications() {
  const now = Date.now()
  return [
    { id: 1, title: '重大行政决策目录待报送', body: '请于本月底前报送2027年度重大行政决策事项目录。', link: '/', created_at: new Date(now - 3600e3).toISOString(), read_at: null },
    { id: 2, title: '行政执法证件年审提醒', body: '本单位有3名执法人员的证件将于30日内到期。', link: '', created_at: new Date(now - 86400e3).toISOString(), read_at: null },
    { id: 3, title: '合法性审查意见已出具', body: '《关于加强农村宅基地管理的若干意见》合法性审查意见已出具。', link: '', created_at: new Date(now - 2 * 86400e3).toISOString(), read_at: new Date(now - 86400e3).toISOString() },
  ]
}

export function startMockServer(port = 0, host = '127.0.0.1') {
  const sessions = new Map() // token → me
  const failures = new Map() // username → count
  let notifications = makeNotifications()

  const send = (res, status, body, headers = {}) => {
    if (body === undefined) {
      res.writeHead(status, headers)
      return res.end()
    }
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers })
    res.end(JSON.stringify(body))
  }
  const err = (res, status, code, message, fields) => send(res, status, fields ? { code, message, fields } : { code, message })

  const readBody = (req) =>
    new Promise((ok) => {
      let data = ''
      req.on('data', (c) => (data += c))
      req.on('end', () => {
        try {
          ok(JSON.parse(data || '{}'))
        } catch {
          ok(null)
        }
      })
    })

  const sessionOf = (req) => {
    const m = /(?:^|;\s*)fazhi_session=([^;]+)/.exec(req.headers.cookie || '')
    return m ? sessions.get(m[1]) : undefined
  }

  async function api(req, res, url) {
    const path = url.pathname
    if (req.method === 'POST' && path === '/api/auth/login') {
      const body = await readBody(req)
      if (!body) return err(res, 400, 'invalid', '请求格式不正确')
      const fields = []
      if (!body.username) fields.push({ field: 'username', message: '请输入用户名' })
      if (!body.password) fields.push({ field: 'password', message: '请输入密码' })
      if (fields.length) return err(res, 422, 'invalid', '请填写用户名和密码', fields)
      const n = failures.get(body.username) || 0
      if (n >= MAX_FAILURES) return err(res, 429, 'locked', '密码错误次数过多，账号已锁定，请15分钟后再试')
      if (body.username !== DEMO_USER.username || body.password !== DEMO_USER.password) {
        failures.set(body.username, n + 1)
        return err(res, 401, 'unauthenticated', '用户名或密码错误')
      }
      failures.delete(body.username)
      const token = randomBytes(16).toString('hex')
      sessions.set(token, DEMO_USER.me)
      return send(res, 200, { user: DEMO_USER.me }, { 'Set-Cookie': `fazhi_session=${token}; Path=/; HttpOnly; SameSite=Lax` })
    }
    if (path === '/api/auth/logout' && req.method === 'POST') {
      const m = /(?:^|;\s*)fazhi_session=([^;]+)/.exec(req.headers.cookie || '')
      if (m) sessions.delete(m[1])
      return send(res, 204, undefined, { 'Set-Cookie': 'fazhi_session=; Path=/; Max-Age=0' })
    }
    const me = sessionOf(req)
    if (!me) return err(res, 401, 'unauthenticated', '请先登录')
    if (req.method === 'GET' && path === '/api/auth/me') return send(res, 200, me)
    if (req.method === 'GET' && path === '/api/dashboard/summary') return send(res, 200, summary())
    if (req.method === 'GET' && path === '/api/notifications/unread_count') {
      return send(res, 200, { count: notifications.filter((n) => !n.read_at).length })
    }
    if (req.method === 'GET' && path === '/api/notifications') {
      const page = Math.max(1, Number(url.searchParams.get('page')) || 1)
      const size = Math.min(200, Math.max(1, Number(url.searchParams.get('page_size')) || 20))
      const list = url.searchParams.get('unread') === 'true' ? notifications.filter((n) => !n.read_at) : notifications
      return send(res, 200, { items: list.slice((page - 1) * size, page * size), total: list.length })
    }
    const read = /^\/api\/notifications\/(\d+)\/read$/.exec(path)
    if (req.method === 'POST' && read) {
      const n = notifications.find((x) => x.id === Number(read[1]))
      if (!n) return err(res, 404, 'not_found', '通知不存在')
      n.read_at ??= new Date().toISOString()
      return send(res, 204)
    }
    return err(res, 404, 'not_found', '接口不存在')
  }

  async function file(req, res, url) {
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '')
    let p = join(DIST, rel)
    if (!p.startsWith(DIST)) return send(res, 403, { code: 'forbidden', message: '禁止访问' })
    try {
      if (!(await stat(p)).isFile()) throw new Error('dir')
    } catch {
      // History-mode fallback, like the Go server: unknown non-asset paths get index.html.
      if (url.pathname.startsWith('/assets/')) return send(res, 404, { code: 'not_found', message: '文件不存在' })
      p = join(DIST, 'index.html')
    }
    const data = await readFile(p)
    res.writeHead(200, { 'Content-Type': TYPES[extname(p)] || 'application/octet-stream' })
    res.end(data)
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost')
    const handler = url.pathname === '/readyz' || url.pathname === '/healthz'
      ? async () => send(res, 200, { status: 'ok' })
      : url.pathname.startsWith('/api/') ? () => api(req, res, url) : () => file(req, res, url)
    handler().catch((e) => {
      console.error(e)
      if (!res.headersSent) send(res, 500, { code: 'internal', message: '服务器内部错误' })
    })
  })
  return new Promise((ok) => {
    server.listen(port, host, () => {
      const addr = server.address()
      ok({ server, url: `http://${host}:${addr.port}`, close: () => new Promise((c) => server.close(c)) })
    })
  })
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { url } = await startMockServer(Number(process.argv[2] || 0))
  console.log(`mock server on ${url}`)
}
