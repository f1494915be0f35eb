import { afterEach, describe, expect, it, vi } from 'vitest'
import { formatSize, uploadEvidence } from '@/components/evidence'
import { statusTag } from '@/views/findings/findingApi'
import { ApiError } from '@/api/errors'

describe('evidence upload', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('formats sizes', () => {
    expect(formatSize(512)).toBe('512 字节')
    expect(formatSize(35 * 1024)).toBe('35 KB')
    expect(formatSize(1.5 * 1024 * 1024)).toBe('1.5 MB')
  })

  it('sends owner fields before the file and returns the stored file', async () => {
    const fetchMock = vi.fn(async (_url: string, init: RequestInit) => {
      const form = init.body as FormData
      expect([...form.keys()]).toEqual(['owner_type', 'owner_id', 'replaces', 'file'])
      expect(form.get('owner_type')).toBe('finding')
      expect(form.get('replaces')).toBe('7')
      return new Response(JSON.stringify({ id: 9, name: '报告.pdf', version: 2 }), { status: 201 })
    })
    vi.stubGlobal('fetch', fetchMock)
    const f = await uploadEvidence('finding', 3, new File(['%PDF-1.7'], '报告.pdf'), 7)
    expect(fetchMock).toHaveBeenCalledOnce()
    expect(fetchMock.mock.calls[0][0]).toBe('/api/files')
    expect(f.id).toBe(9)
    expect(f.version).toBe(2)
  })

  it("surfaces the server's Chinese refusal", async () => {
    const body = { code: 'invalid', message: '文件「报告.pdf」的内容是可执行程序（Windows EXE/DLL），禁止上传', fields: [{ field: 'file', message: 'x' }] }
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(body), { status: 422 })))
    const err = await uploadEvidence('finding', 3, new File(['MZ'], '报告.pdf')).catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(422)
    expect(err.message).toContain('禁止上传')
  })

  it('marks overdue findings as danger', () => {
    expect(statusTag({ status: 'open', overdue: true })).toBe('danger')
    expect(statusTag({ status: 'closing', overdue: false })).toBe('warning')
    expect(statusTag({ status: 'closed', overdue: false })).toBe('success')
    expect(statusTag({ status: 'open', overdue: false })).toBe('info')
  })
})
