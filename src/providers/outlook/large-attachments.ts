import type { Client } from '@microsoft/microsoft-graph-client';

type Call = <T>(fn: () => Promise<T>) => Promise<T>;

/** A PUT to an upload session URL; the URL carries its own authorisation, so no bearer token goes with it. */
export type UploadFetch = (url: string, init: { method: 'PUT'; headers: Record<string, string>; body: Buffer }) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

/** Graph refuses a request body over 4 MB; a message sent as base64 MIME must fit, with room for the request itself. */
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
const REQUEST_MARGIN = 16 * 1024;
/** From this size an attachment goes through an upload session (its base64 in one POST would pass 4 MB near 3 MB). */
export const UPLOAD_SESSION_FROM_BYTES = 2 * 1024 * 1024;
/** Upload session ranges are multiples of 320 KiB (Graph's rule); 12 × 320 KiB = 3.75 MiB per PUT. */
const CHUNK_BYTES = 12 * 320 * 1024;

export const fitsOneRequest = (raw: Buffer): boolean => Math.ceil(raw.length / 3) * 4 + REQUEST_MARGIN <= MAX_REQUEST_BYTES;

/** Adds one attachment to a draft: a fileAttachment POST when small, else an upload session in ranges. */
export async function attach(graph: Client, call: Call, upload: UploadFetch, draftId: string, a: { filename: string; contentType: string; content: Buffer }): Promise<void> {
  if (a.content.length < UPLOAD_SESSION_FROM_BYTES) {
    await call(() =>
      graph.api(`/me/messages/${draftId}/attachments`).post({ '@odata.type': '#microsoft.graph.fileAttachment', name: a.filename, contentType: a.contentType, contentBytes: a.content.toString('base64') }),
    );
    return;
  }
  const session = await call(() =>
    graph.api(`/me/messages/${draftId}/attachments/createUploadSession`).post({ AttachmentItem: { attachmentType: 'file', name: a.filename, size: a.content.length, contentType: a.contentType } }),
  );
  const total = a.content.length;
  for (let start = 0; start < total; start += CHUNK_BYTES) {
    const end = Math.min(start + CHUNK_BYTES, total) - 1;
    const body = a.content.subarray(start, end + 1);
    const res = await call(() => upload(String(session.uploadUrl), { method: 'PUT', headers: { 'Content-Range': `bytes ${start}-${end}/${total}`, 'Content-Length': String(body.length) }, body }));
    if (!res.ok) throw Object.assign(new Error(`attachment upload of ${a.filename} failed: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`), { statusCode: res.status });
  }
}
