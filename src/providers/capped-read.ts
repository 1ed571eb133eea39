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

function abandon(stream: Body, abort: AbortController): void {
  abort.abort();
  // Node streams (node-fetch, gaxios) are destroyed; web streams (fetch) cancelled. Errors after this are ours.
  if (typeof stream.destroy === 'function') stream.destroy();
  else if (typeof stream.cancel === 'function') stream.cancel().catch(() => undefined);
}
