// @vitest-environment node
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { runDraw, verifyDraw } from '@/utils/draw'

// The Go implementation's test vector (internal/platform/draw/testdata/vector):
// the browser must reproduce the same draw from the same files.
const dir = new URL('../../internal/platform/draw/testdata/vector/', import.meta.url)
const raw = (n: string) => new Uint8Array(readFileSync(new URL(n, dir)))
const json = (n: string) => JSON.parse(new TextDecoder().decode(raw(n)))

describe('fazhi-draw/1 in the browser', () => {
  it('reproduces the Go vector', async () => {
    const picks = await runDraw(raw('snapshot.json'), json('reveal.json').seed)
    expect(picks).toEqual(json('result.json').picks)
    expect(await verifyDraw(raw('snapshot.json'), json('commitment.json'), json('reveal.json'), json('result.json'))).toEqual([])
  })
  it('detects a tampered snapshot, a changed seed and a reordered pool', async () => {
    const snap = new TextDecoder().decode(raw('snapshot.json'))
    const tampered = new TextEncoder().encode(snap.replace('有限公司3', '有限公司8'))
    const bad1 = await verifyDraw(tampered, json('commitment.json'), json('reveal.json'), json('result.json'))
    expect(bad1.join()).toContain('快照被改动')

    const reveal = { ...json('reveal.json'), seed: '5a'.repeat(32) }
    const bad2 = await verifyDraw(raw('snapshot.json'), json('commitment.json'), reveal, json('result.json'))
    expect(bad2.join()).toContain('种子被更换')

    const s = JSON.parse(snap)
    s.assignees.reverse()
    const reordered = new TextEncoder().encode(JSON.stringify(s))
    const bad3 = await verifyDraw(reordered, json('commitment.json'), json('reveal.json'), json('result.json'))
    expect(bad3.join()).toContain('人员名录未按标识严格升序')
  })
})
