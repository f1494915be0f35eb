import { afterEach, describe, expect, it, vi } from 'vitest'
import { filenameFromDisposition, sendBody, sendJSON, setUnauthorizedHandler, XLSX_TYPE } from '@/api/client'
import { ApiError } from '@/api/errors'
import * as decisionApi from '@/views/decision/decisionApi'
import * as findingApi from '@/views/findings/findingApi'
import * as lrapi from '@/views/legalreview/lrapi'
import * as normdocApi from '@/views/normdoc/normdocApi'
import * as sysapi from '@/views/system/sysapi'

// Every page's source, to check that senders come from @/api/client only.
const viewSources = import.meta.glob('/src/views/**/*.{ts,vue}', { query: '?raw', import: 'default', eager: true }) as Record<string, string>

describe('sendJSON / sendBody', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    setUnauthorizedHandler(null)
  })

  it('sends JSON with the session cookie and returns the decoded reply', async () => {
    const fetchMock = vi.fn(async (_url: string, _init: RequestInit) => new Response(JSON.stringify({ id: 5, version: 2 }), { status: 200 }))
    vi.stubGlobal('fetch', fetchMock)
    const r = await sendJSON<{ id: number; version: number }>('PUT', '/api/users/5', { name: '张三', version: 1 })
    expect(r).toEqual({ id: 5, version: 2 })
    const [url, init] = fetchMock.mock.calls[0]
    expect(url).toBe('/api/users/5')
    expect(init.method).toBe('PUT')
    expect(init.credentials).toBe('same-origin')
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json')
    expect(JSON.parse(init.body as string)).toEqual({ name: '张三', version: 1 })
  })

  it('returns undefined for 204 and sends no body when none is given', async () => {
    const fetchMock = vi.fn(async (_url: string, _init: RequestInit) => new Response(null, { status: 204 }))
    vi.stubGlobal('fetch', fetchMock)
    expect(await sendJSON('POST', '/api/auth/logout-all')).toBeUndefined()
    expect(fetchMock.mock.calls[0][1].body).toBeUndefined()
  })

  it("maps the server's {code, message, fields} to ApiError without calling the 401 handler", async () => {
    const onUnauthorized = vi.fn()
    setUnauthorizedHandler(onUnauthorized)
    const body = { code: 'invalid', message: '名称不能为空', fields: [{ field: 'body.name', message: '名称不能为空' }] }
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(body), { status: 422 })))
    const err = (await sendJSON('POST', '/api/org/units', {}).catch((e) => e)) as ApiError
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(422)
    expect(err.code).toBe('invalid')
    expect(err.message).toBe('名称不能为空')
    expect(err.fields).toEqual([{ field: 'body.name', message: '名称不能为空' }])

    vi.stubGlobal('fetch', vi.fn(async () => new Response('<html>gateway</html>', { status: 401 })))
    const e401 = (await sendJSON('POST', '/api/calendar/years', {}).catch((e) => e)) as ApiError
    expect(e401.status).toBe(401)
    expect(e401.message).toBe('登录已过期，请重新登录')
    expect(onUnauthorized).not.toHaveBeenCalled()
  })

  it('turns a failed fetch into a network ApiError', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch') }))
    const err = (await sendJSON('POST', '/api/findings', {}).catch((e) => e)) as ApiError
    expect(err).toBeInstanceOf(ApiError)
    expect(err.code).toBe('network')
  })

  it('sends a raw workbook with its content type, FormData without one', async () => {
    const fetchMock = vi.fn(async (_url: string, _init: RequestInit) => new Response('{"rows":1}', { status: 200 }))
    vi.stubGlobal('fetch', fetchMock)
    const file = new File(['PK'], '导入.xlsx')
    expect(await sendBody('POST', '/api/normdocs/import?mode=check', file, XLSX_TYPE)).toEqual({ rows: 1 })
    expect((fetchMock.mock.calls[0][1].headers as Record<string, string>)['Content-Type']).toBe(XLSX_TYPE)
    expect(fetchMock.mock.calls[0][1].body).toBe(file)
    await sendBody('POST', '/api/files', new FormData())
    expect((fetchMock.mock.calls[1][1].headers as Record<string, string>)['Content-Type']).toBeUndefined()
  })

  it('is the one helper the module files use', () => {
    // The module files neither copy nor re-export a sender; pages import sendJSON from @/api/client.
    for (const mod of [decisionApi, findingApi, lrapi, normdocApi, sysapi] as Record<string, unknown>[]) {
      expect(mod.send).toBeUndefined()
      expect(mod.sendJSON).toBeUndefined()
    }
    const files = Object.entries(viewSources)
    expect(files.length).toBeGreaterThan(20)
    const users = files.filter(([, src]) => /\bsendJSON\b/.test(src))
    expect(users.length).toBeGreaterThan(10)
    for (const [path, src] of users) {
      expect(src, path).toMatch(/import \{[^}]*\bsendJSON\b[^}]*\} from '@\/api\/client'/)
      expect(src, path).not.toMatch(/(const|function) sendJSON\b|\bsend\s*\(/)
    }
  })
})

describe('filenameFromDisposition', () => {
  it('prefers the RFC 5987 Chinese name, then the plain one, then the fallback', () => {
    const star = `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent('组织机构.xlsx')}`
    expect(filenameFromDisposition(star, 'x.xlsx')).toBe('组织机构.xlsx')
    expect(filenameFromDisposition('attachment; filename="opinion.docx"', 'x.docx')).toBe('opinion.docx')
    expect(filenameFromDisposition(null, '问题台账导入模板.xlsx')).toBe('问题台账导入模板.xlsx')
  })
})
