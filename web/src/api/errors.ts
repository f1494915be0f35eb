// The server's one error shape: {code, message, fields:[{field, message}]} with
// Chinese messages. ApiError carries it through the app; mapFieldErrors turns
// fields into a record keyed by form-item prop for inline validation.

export interface FieldError {
  field: string
  message: string
}

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly fields: FieldError[]

  constructor(status: number, code: string, message: string, fields: FieldError[] = []) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.fields = fields
  }
}

const statusMessages: Record<number, string> = {
  400: '请求有误，请检查后重试',
  401: '登录已过期，请重新登录',
  403: '没有权限执行此操作',
  404: '请求的内容不存在',
  409: '数据已被他人修改，请刷新后重试',
  413: '提交的内容过大',
  422: '填写的内容有误，请检查后重试',
  423: '账号已锁定，请稍后再试',
  429: '操作过于频繁，请稍后再试',
  500: '服务器内部错误，请稍后重试',
  502: '服务暂时不可用，请稍后重试',
  503: '服务暂时不可用，请稍后重试',
  504: '服务响应超时，请稍后重试',
}

/** Chinese fallback text for a status when the body carries no message. */
export function messageForStatus(status: number): string {
  return statusMessages[status] ?? `请求失败（${status}）`
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/**
 * Builds an ApiError from a status and a parsed body. It accepts the fazhi shape
 * and, defensively, RFC 9457 problem details ({title, detail, errors:[{location,
 * message}]}) so a mis-wired handler still shows something sensible.
 */
export function toApiError(status: number, body: unknown): ApiError {
  if (!isRecord(body)) {
    return new ApiError(status, codeForStatus(status), messageForStatus(status))
  }
  const code = typeof body.code === 'string' ? body.code : codeForStatus(status)
  const message =
    (typeof body.message === 'string' && body.message) ||
    (typeof body.detail === 'string' && body.detail) ||
    messageForStatus(status)
  const fields: FieldError[] = []
  const rawFields = Array.isArray(body.fields) ? body.fields : Array.isArray(body.errors) ? body.errors : []
  for (const f of rawFields) {
    if (!isRecord(f)) continue
    const field = typeof f.field === 'string' ? f.field : typeof f.location === 'string' ? f.location : ''
    const msg = typeof f.message === 'string' ? f.message : ''
    if (field && msg) fields.push({ field, message: msg })
  }
  return new ApiError(status, code, message, fields)
}

function codeForStatus(status: number): string {
  switch (status) {
    case 401:
      return 'unauthenticated'
    case 403:
      return 'forbidden'
    case 404:
      return 'not_found'
    case 409:
      return 'conflict'
    case 422:
    case 400:
      return 'invalid'
    case 423:
      return 'locked'
    case 429:
      return 'rate_limited'
    default:
      return status >= 500 ? 'internal' : 'error'
  }
}

export const networkError = () => new ApiError(0, 'network', '网络连接失败，请检查网络后重试')

/** Normalises a server field path to a form prop: "body.unit.name" → "unit.name". */
export function normalizeField(field: string): string {
  return field.replace(/^(body|query|path|header)\./, '')
}

/**
 * Maps server field errors onto form items. The first message per field wins;
 * fields not in `known` (when given) are left out so callers can show them
 * elsewhere.
 */
export function mapFieldErrors(fields: FieldError[], known?: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const f of fields) {
    const key = normalizeField(f.field)
    if (known && !known.includes(key)) continue
    if (!(key in out)) out[key] = f.message
  }
  return out
}

/** Turns anything thrown into an ApiError (so callers handle one type). */
export function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err
  if (err instanceof TypeError) return networkError()
  return new ApiError(0, 'internal', '操作失败，请稍后重试')
}
