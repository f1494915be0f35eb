// The publicly verifiable draw (fazhi-draw/1, docs/draw.md) re-implemented
// with Web Crypto, so that the public page checks a published draw in the
// visitor's browser: the snapshot's SHA-256 against the commitment, the
// pool's canonical order, the revealed seed against its commitment, and the
// draw re-run from snapshot and seed against the published result.

export interface DrawItem { key: string; name: string; stratum: string; group: string }
export interface DrawAssignee { key: string; name: string; group: string }
export interface DrawStratum { code: string; label: string; pool: number; draw: number }
export interface DrawPair { assignee: string; item: string }
export interface DrawSnapshot {
  format: string
  kind: string
  ref: string
  title: string
  assignees_per_pick: number
  same_group_excluded: boolean
  strata: DrawStratum[]
  items: DrawItem[]
  assignees: DrawAssignee[]
  exclusions: DrawPair[]
}
export interface DrawCommitment { ref: string; snapshot_sha256: string; seed_sha256: string; committed_at: string }
export interface DrawReveal { ref: string; seed: string; revealed_at: string }
export interface DrawPick { seq: number; stratum: string; item: string; assignees: string[] }
export interface DrawResult { ref: string; snapshot_sha256: string; seed_sha256: string; picks: DrawPick[] }

export const drawFormat = 'fazhi-draw/1'

function hex(buf: ArrayBuffer): string {
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('')
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', bytes as BufferSource))
}

function seedBytes(seed: string): Uint8Array | null {
  if (!/^[0-9a-f]{64}$/.test(seed)) return null
  const out = new Uint8Array(32)
  for (let i = 0; i < 32; i++) out[i] = parseInt(seed.slice(2 * i, 2 * i + 2), 16)
  return out
}

/** The HMAC-SHA256 word stream of one label. */
class Stream {
  private n = 0
  private buf = new Uint8Array(0)
  private off = 0
  constructor(private key: CryptoKey, private prefix: string) {}
  async word(): Promise<number> {
    if (this.buf.length - this.off < 4) {
      const msg = new TextEncoder().encode(this.prefix + String(this.n))
      this.buf = new Uint8Array(await crypto.subtle.sign('HMAC', this.key, msg))
      this.off = 0
      this.n++
    }
    const v = new DataView(this.buf.buffer, this.off, 4).getUint32(0, false)
    this.off += 4
    return v
  }
  async intn(n: number): Promise<number> {
    const span = 2 ** 32
    const limit = span - (span % n)
    for (;;) {
      const x = await this.word()
      if (x < limit) return x % n
    }
  }
}

async function choose<T>(s: Stream, pool: T[], k: number): Promise<T[]> {
  const a = pool.slice()
  for (let i = 0; i < k; i++) {
    const j = i + (await s.intn(a.length - i))
    ;[a[i], a[j]] = [a[j], a[i]]
  }
  return a.slice(0, k)
}

function strictlySorted(keys: string[]): number {
  for (let i = 1; i < keys.length; i++) if (!(keys[i - 1] < keys[i])) return i
  return -1
}

/** Re-runs the draw from the snapshot's bytes and the seed. */
export async function runDraw(snapshotBytes: Uint8Array, seed: string): Promise<DrawPick[]> {
  const snap = JSON.parse(new TextDecoder().decode(snapshotBytes)) as DrawSnapshot
  const k = seedBytes(seed)
  if (!k) throw new Error('种子应为 64 位小写十六进制数')
  const key = await crypto.subtle.importKey('raw', k as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const hash = await sha256Hex(snapshotBytes)
  const picked: DrawItem[] = []
  for (const st of snap.strata) {
    const pool = snap.items.filter((it) => it.stratum === st.code)
    picked.push(...(await choose(new Stream(key, `${hash}|item|${st.code}|`), pool, st.draw)))
  }
  const pairs = new Set(snap.exclusions.map((p) => `${p.assignee}\u0000${p.item}`))
  const picks: DrawPick[] = []
  for (const [i, it] of picked.entries()) {
    const eligible = snap.assignees.filter(
      (a) => !(snap.same_group_excluded && a.group !== '' && a.group === it.group) && !pairs.has(`${a.key}\u0000${it.key}`),
    )
    if (eligible.length < snap.assignees_per_pick) throw new Error(`抽中对象 ${it.key} 的可选检查人员不足`)
    const who = await choose(new Stream(key, `${hash}|assignee|${it.key}|`), eligible, snap.assignees_per_pick)
    picks.push({ seq: i + 1, stratum: it.stratum, item: it.key, assignees: who.map((a) => a.key) })
  }
  return picks
}

/** Checks a published draw; an empty list means it is reproduced. */
export async function verifyDraw(snapshotBytes: Uint8Array, c: DrawCommitment, r: DrawReveal, res: DrawResult): Promise<string[]> {
  const bad: string[] = []
  const hash = await sha256Hex(snapshotBytes)
  if (hash !== c.snapshot_sha256) bad.push(`名录快照的 SHA-256 为 ${hash}，与抽取前公布的 ${c.snapshot_sha256} 不一致（快照被改动）`)
  let snap: DrawSnapshot
  try {
    snap = JSON.parse(new TextDecoder().decode(snapshotBytes)) as DrawSnapshot
  } catch {
    return [...bad, '名录快照无法解析']
  }
  if (snap.format !== drawFormat) bad.push(`快照格式不是 ${drawFormat}`)
  for (const [what, keys] of [
    ['风险等级', snap.strata.map((s) => s.code)],
    ['对象名录', snap.items.map((i) => i.key)],
    ['人员名录', snap.assignees.map((a) => a.key)],
  ] as const) {
    const at = strictlySorted([...keys])
    if (at >= 0) bad.push(`${what}未按标识严格升序排列（第 ${at + 1} 条 ${keys[at]}）`)
  }
  for (const [what, ref] of [['承诺文件', c.ref], ['种子文件', r.ref], ['结果文件', res.ref]]) {
    if (ref !== snap.ref) bad.push(`${what}的计划编号 ${ref} 与快照的 ${snap.ref} 不一致`)
  }
  const k = seedBytes(r.seed)
  if (!k) return [...bad, '公开的种子无效：应为 64 位小写十六进制数']
  const commit = await sha256Hex(k)
  if (commit !== c.seed_sha256) bad.push(`公开的种子的 SHA-256 为 ${commit}，与抽取前公布的承诺值 ${c.seed_sha256} 不一致（种子被更换）`)
  if (res.snapshot_sha256 !== c.snapshot_sha256 || res.seed_sha256 !== c.seed_sha256) bad.push('结果文件记载的快照哈希或承诺值与承诺文件不一致')
  let again: DrawPick[]
  try {
    again = await runDraw(snapshotBytes, r.seed)
  } catch (e) {
    return [...bad, `按公布的快照和种子重新抽取失败：${(e as Error).message}`]
  }
  if (again.length !== res.picks.length) bad.push(`公布的结果有 ${res.picks.length} 项，重新抽取得到 ${again.length} 项`)
  for (let i = 0; i < Math.min(again.length, res.picks.length); i++) {
    const a = res.picks[i]
    const b = again[i]
    if (a.seq !== b.seq || a.stratum !== b.stratum || a.item !== b.item || a.assignees.join('|') !== b.assignees.join('|')) {
      bad.push(`第 ${i + 1} 项不一致：公布为 ${a.item}（${a.assignees.join('、')}），重新抽取为 ${b.item}（${b.assignees.join('、')}）`)
    }
  }
  return bad
}
