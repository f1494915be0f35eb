import { sendBody } from '@/api/client'

/** A stored evidence file (internal/platform/files.File). */
export interface EvidenceFile {
  id: number
  evidence_key: string
  version: number
  owner_type: string
  owner_id: number
  name: string
  content_type: string
  kind: string
  kind_label: string
  size: number
  sha256: string
  sm3: string
  created_at: string
}

/** Human-readable size: 1.2 MB, 35 KB, 512 字节. */
export function formatSize(n: number): string {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`
  if (n >= 1 << 10) return `${Math.round(n / (1 << 10))} KB`
  return `${n} 字节`
}

/**
 * Uploads one file as multipart/form-data. The owner fields go first so the
 * server knows the record before the file's bytes arrive; `replaces` makes
 * the upload the next version of an existing piece of evidence.
 */
export async function uploadEvidence(ownerType: string, ownerId: number, file: File, replaces?: number): Promise<EvidenceFile> {
  const form = new FormData()
  form.append('owner_type', ownerType)
  form.append('owner_id', String(ownerId))
  if (replaces) form.append('replaces', String(replaces))
  form.append('file', file, file.name)
  return sendBody<EvidenceFile>('POST', '/api/files', form)
}
