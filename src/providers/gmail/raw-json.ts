import type { gmail_v1 } from 'googleapis';

/** The JSON fields around `raw` are small; more than this before or after it is not a messages.get answer. */
const FIELDS_CAP = 256 * 1024;
const RAW_KEY = /"raw"\s*:\s*"/;
const SIZE_ESTIMATE = /"sizeEstimate"\s*:\s*(\d+)/;

/**
 * Gmail's format=raw answer, read from its byte stream with `raw` decoded as it arrives: the
 * message's bytes are held once (decoded), never also as JSON text, a parsed string and a copy.
 * Null (and reading stopped) when the message is over `maxBytes`: at once when `sizeEstimate` comes
 * before `raw` (Gmail writes fields in the order of its message schema, where it does), else when
 * the base64url text passes that size.
 */
export async function readRawMessageJson(
  body: AsyncIterable<Uint8Array>,
  maxBytes: number,
  abandon: () => void,
): Promise<{ message: gmail_v1.Schema$Message; raw: Buffer } | null> {
  const capChars = Math.ceil((maxBytes * 4) / 3);
  let head = '';
  let tail = '';
  let phase: 'head' | 'raw' | 'tail' = 'head';
  let carry = '';
  let chars = 0;
  // Decoded straight into one buffer: no pieces to join. Pages never written to cost no memory.
  const raw = Buffer.allocUnsafe(Math.ceil((capChars * 3) / 4) + 3);
  let bytes = 0;
  const decode = (text: string) => {
    const usable = carry + text;
    const whole = usable.length - (usable.length % 4);
    if (whole > 0) bytes += raw.write(usable.slice(0, whole), bytes, 'base64url');
    carry = usable.slice(whole);
  };
  for await (const chunk of body) {
    let text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
    if (phase === 'head') {
      head += text;
      const key = RAW_KEY.exec(head);
      if (!key) {
        if (head.length > FIELDS_CAP) return stop(abandon);
        continue;
      }
      text = head.slice(key.index + key[0].length);
      head = head.slice(0, key.index + key[0].length);
      if (Number(SIZE_ESTIMATE.exec(head)?.[1] ?? 0) > maxBytes) return stop(abandon);
      phase = 'raw';
    }
    if (phase === 'raw') {
      const end = text.indexOf('"');
      const data = end < 0 ? text : text.slice(0, end);
      chars += data.length;
      if (chars > capChars) return stop(abandon);
      decode(data);
      if (end < 0) continue;
      text = text.slice(end);
      phase = 'tail';
    }
    tail += text;
    if (tail.length > FIELDS_CAP) return stop(abandon);
  }
  if (phase !== 'tail') throw new Error('Gmail answered format=raw without a raw field');
  // The last group may be short: base64url has no padding.
  if (carry) bytes += raw.write(carry, bytes, 'base64url');
  const message = JSON.parse(Buffer.from(head + tail, 'latin1').toString('utf8')) as gmail_v1.Schema$Message;
  return { message: { ...message, raw: null }, raw: raw.subarray(0, bytes) };
}

function stop(abandon: () => void): null {
  abandon();
  return null;
}
