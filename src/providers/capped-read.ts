/**
 * Response bodies read with a byte cap, so one large message cannot take the worker's memory: the
 * body is consumed chunk by chunk and abandoned (the request aborted) as soon as it passes the cap.
 */

type Body = AsyncIterable<Uint8Array> & { destroy?: (err?: Error) => void; cancel?: () => Promise<void> };

/** The whole body, or null when it is longer than `cap` bytes (then nothing more is read). */
export async function readCapped(body: unknown, cap: number, abort: AbortController): Promise<Buffer | null> {
  if (Buffer.isBuffer(body)) return body.length <= cap ? body : null;
  const stream = body as Body;
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      total += chunk.length;
      if (total > cap) {
        abandon(stream, abort);
        return null;
      }
      chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    }
  } catch (err) {
    if (abort.signal.aborted) return null;
    throw err;
  }
  return Buffer.concat(chunks, total);
}

/** Stops reading a body for good: the request is aborted and the stream closed. */
export function abandon(stream: unknown, abort: AbortController): void {
  const body = stream as Body;
  abort.abort();
  // Node streams (node-fetch, gaxios) are destroyed; web streams (fetch) cancelled. Errors after this are ours.
  if (typeof body.destroy === 'function') body.destroy();
  else if (typeof body.cancel === 'function') body.cancel().catch(() => undefined);
}
