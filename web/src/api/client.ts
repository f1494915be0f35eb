import createClient, { type Middleware } from 'openapi-fetch'
import type { paths } from './schema'
import { ApiError, networkError, toApiError } from './errors'

/** Typed client for the fazhi API; paths and bodies come from schema.d.ts. */
// fetch is looked up per call (not captured at start) so tests can stub it.
export const api = createClient<paths>({
  baseUrl: '',
  credentials: 'same-origin',
  fetch: (request: Request) => globalThis.fetch(request),
})

type UnauthorizedHandler = () => void
let onUnauthorized: UnauthorizedHandler | null = null

/** Registers what to do when any request (other than auth probes) gets 401. */
export function setUnauthorizedHandler(fn: UnauthorizedHandler | null) {
  onUnauthorized = fn
}

function notifyUnauthorized(url: string, status: number) {
  if (status !== 401 || !onUnauthorized) return
  // The login form and the session probe handle 401 themselves.
  if (url.includes('/api/auth/login') || url.includes('/api/auth/me')) return
  onUnauthorized()
}

let writes = 0

/**
 * How many writes (any method but GET/HEAD) the server has accepted since the
 * page loaded, through `api` or sendBody/sendJSON. A store summarising server
 * state (the header's to-do count) compares it with the value at its last
 * fetch to refetch only after something may have changed.
 */
export function writeCount(): number {
  return writes
}

function noteWrite(method: string, ok: boolean) {
  if (ok && method !== 'GET' && method !== 'HEAD') writes++
}

const responseMiddleware: Middleware = {
  onResponse({ request, response }) {
    notifyUnauthorized(request.url, response.status)
    noteWrite(request.method, response.ok)
    return undefined
  },
}
api.use(responseMiddleware)

interface FetchResult<T> {
  data?: T
  error?: unknown
  response: Response
}

/**
 * Unwraps an openapi-fetch result: returns data, or throws an ApiError built from
 * the server's {code, message, fields}. Network failures become ApiError code "network".
 */
export async function unwrap<T>(p: Promise<FetchResult<T>>): Promise<T> {
  let res: FetchResult<T>
  try {
    res = await p
  } catch (e) {
    if (e instanceof ApiError) throw e
    throw networkError()
  }
  if (!res.response.ok) throw toApiError(res.response.status, res.error)
  return res.data as T
}

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[]
export type Query = Record<string, QueryValue>

/** Query string from filters; empty values ('' / null / undefined / []) are left out. */
export function toSearchParams(query: Query): URLSearchParams {
  const sp = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue
    if (Array.isArray(v)) {
      for (const item of v) sp.append(k, String(item))
    } else {
      sp.append(k, String(v))
    }
  }
  return sp
}

export function withQuery(path: string, query: Query): string {
  const qs = toSearchParams(query).toString()
  return qs ? `${path}?${qs}` : path
}

async function parseBody(res: Response): Promise<unknown> {
  const text = await res.text()
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * Untyped GET for generic building blocks (PagedTable) whose endpoint is a prop.
 * Module pages should prefer the typed `api` client.
 */
export async function getJSON<T>(path: string, query: Query = {}): Promise<T> {
  let res: Response
  try {
    res = await fetch(withQuery(path, query), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
  } catch {
    throw networkError()
  }
  const body = await parseBody(res)
  notifyUnauthorized(path, res.status)
  if (!res.ok) throw toApiError(res.status, body)
  return body as T
}

/**
 * Sends a request body as it is (JSON text, a workbook, FormData) and returns the
 * decoded JSON reply (undefined for an empty reply such as 204). Server errors
 * become ApiError from {code, message, fields}; network failures ApiError "network".
 * Unlike the typed client it does not call the 401 handler: a form that gets 401
 * keeps what was typed and shows the message (the calendar's 录入 dialog relies on it).
 * Leave contentType out for FormData so the browser sets the multipart boundary.
 */
export async function sendBody<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: BodyInit, contentType?: string): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (contentType) headers['Content-Type'] = contentType
  let res: Response
  try {
    res = await fetch(path, { method, credentials: 'same-origin', headers, body })
  } catch {
    throw networkError()
  }
  const data = await parseBody(res)
  noteWrite(method, res.ok)
  if (!res.ok) throw toApiError(res.status, data)
  return data as T
}

/** Sends `body` as JSON (nothing when undefined) and returns the decoded reply; see sendBody. */
export function sendJSON<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return sendBody<T>(method, path, body === undefined ? undefined : JSON.stringify(body), 'application/json')
}

/** Content type of an .xlsx workbook, for imports. */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** File name from Content-Disposition (RFC 5987 filename* first). */
export function filenameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(header)
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''))
    } catch {
      /* fall through to the plain filename */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header)
  return plain ? plain[1].trim() : fallback
}

/** Downloads a file (e.g. an Excel export), surfacing server errors as ApiError. */
export async function download(path: string, query: Query, fallbackName: string): Promise<void> {
  let res: Response
  try {
    res = await fetch(withQuery(path, query), { credentials: 'same-origin' })
  } catch {
    throw networkError()
  }
  if (!res.ok) {
    notifyUnauthorized(path, res.status)
    throw toApiError(res.status, await parseBody(res))
  }
  const blob = await res.blob()
  const name = filenameFromDisposition(res.headers.get('Content-Disposition'), fallbackName)
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
