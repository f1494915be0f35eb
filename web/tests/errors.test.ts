import { describe, expect, it, vi } from 'vitest'
import { ApiError, asApiError, mapFieldErrors, toApiError } from '@/api/errors'

vi.mock('element-plus', () => ({ ElMessage: { error: vi.fn(), success: vi.fn() } }))
vi.mock('element-plus/es/components/message/style/css', () => ({}))

describe('toApiError', () => {
  it('keeps the server code, Chinese message and fields', () => {
    const e = toApiError(422, {
      code: 'invalid',
      message: '请检查填写的内容',
      fields: [
        { field: 'name', message: '名称不能为空' },
        { field: 'unit.code', message: '单位编码格式不正确' },
      ],
    })
    expect(e).toBeInstanceOf(ApiError)
    expect(e.status).toBe(422)
    expect(e.code).toBe('invalid')
    expect(e.message).toBe('请检查填写的内容')
    expect(e.fields).toHaveLength(2)
  })

  it('falls back to a Chinese message by status when the body is not JSON', () => {
    const e = toApiError(502, undefined)
    expect(e.code).toBe('internal')
    expect(e.message).toBe('服务暂时不可用，请稍后重试')
    expect(toApiError(429, {}).message).toBe('操作过于频繁，请稍后再试')
    expect(toApiError(418, null).message).toBe('请求失败（418）')
  })

  it('reads RFC 9457 problem details too', () => {
    const e = toApiError(422, { title: 'Unprocessable Entity', detail: '参数错误', errors: [{ location: 'body.username', message: '必填' }] })
    expect(e.message).toBe('参数错误')
    expect(e.fields).toEqual([{ field: 'body.username', message: '必填' }])
  })

  it('turns a fetch TypeError into a network error', () => {
    const e = asApiError(new TypeError('Failed to fetch'))
    expect(e.code).toBe('network')
    expect(e.message).toContain('网络')
  })
})

describe('mapFieldErrors', () => {
  it('maps fields to form props, first message wins, location prefixes stripped', () => {
    const out = mapFieldErrors([
      { field: 'body.username', message: '用户名不能为空' },
      { field: 'username', message: '第二条' },
      { field: 'unit.code', message: '单位编码格式不正确' },
    ])
    expect(out).toEqual({ username: '用户名不能为空', 'unit.code': '单位编码格式不正确' })
  })

  it('keeps only known props when asked', () => {
    const out = mapFieldErrors(
      [
        { field: 'name', message: '名称不能为空' },
        { field: 'Sheet1!3:B', message: '日期格式不正确' },
      ],
      ['name', 'code'],
    )
    expect(out).toEqual({ name: '名称不能为空' })
  })
})

describe('useApi', () => {
  it('fills fieldErrors and shows the message on failure, clears them on the next run', async () => {
    const { useApi } = await import('@/api/useApi')
    const { ElMessage } = await import('element-plus')
    const { loading, fieldErrors, error, run } = useApi()
    const result = await run(async () => {
      throw toApiError(422, { code: 'invalid', message: '名称不能为空', fields: [{ field: 'name', message: '名称不能为空' }] })
    })
    expect(result).toBeUndefined()
    expect(loading.value).toBe(false)
    expect(error.value?.code).toBe('invalid')
    expect(fieldErrors.name).toBe('名称不能为空')
    expect(ElMessage.error).toHaveBeenCalledWith('名称不能为空')

    const ok = await run(async () => 42)
    expect(ok).toBe(42)
    expect(fieldErrors.name).toBeUndefined()
    expect(error.value).toBeNull()
  })

  it('does not toast a 401 (the global handler redirects) or a silent call', async () => {
    const { useApi } = await import('@/api/useApi')
    const { ElMessage } = await import('element-plus')
    vi.mocked(ElMessage.error).mockClear()
    const { run } = useApi()
    await run(async () => {
      throw toApiError(401, { code: 'unauthenticated', message: '请先登录' })
    })
    await run(
      async () => {
        throw toApiError(401, { code: 'invalid', message: '用户名或密码错误' })
      },
      { silent: true },
    )
    expect(ElMessage.error).not.toHaveBeenCalled()
  })
})
