import { describe, expect, it } from 'vitest';
import { readRawMessageJson } from './raw-json';

async function* chunks(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

const raw = Buffer.from(`From: Jürgen <j@client.example>\r\nSubject: Grüße\r\n\r\n${'x'.repeat(5000)}\r\n`, 'utf8');
const answer = { id: '18f0a1', threadId: '18f0a0', labelIds: ['INBOX'], snippet: 'Grüße "quoted" \\"raw\\":\\"', sizeEstimate: raw.length, raw: raw.toString('base64url'), historyId: '991', internalDate: '1714557600000' };

describe('readRawMessageJson', () => {
  it.each([1, 3, 7, 64, 100_000])('decodes raw as it arrives and keeps the other fields, in chunks of %i bytes', async (size) => {
    let abandoned = false;
    const out = await readRawMessageJson(chunks(JSON.stringify(answer), size), 1_000_000, () => (abandoned = true));
    expect(out?.raw.equals(raw)).toBe(true);
    expect(out?.message).toEqual({ ...answer, raw: null });
    expect(abandoned).toBe(false);
  });

  it('works whatever the field order and spacing', async () => {
    const text = `{ "raw" : "${answer.raw}", "id": "18f0a1", "internalDate": "1" }`;
    const out = await readRawMessageJson(chunks(text, 5), 1_000_000, () => undefined);
    expect(out?.raw.equals(raw)).toBe(true);
    expect(out?.message).toEqual({ raw: null, id: '18f0a1', internalDate: '1' });
  });

  async function stopsAfter(text: string, maxBytes: number): Promise<number> {
    let abandoned = false;
    let read = 0;
    async function* counted() {
      for await (const c of chunks(text, 64)) {
        read += c.length;
        yield c;
      }
    }
    expect(await readRawMessageJson(counted(), maxBytes, () => (abandoned = true))).toBeNull();
    expect(abandoned).toBe(true);
    return read;
  }

  it('stops before the body when sizeEstimate, ahead of raw, says the message is over the bound', async () => {
    expect(await stopsAfter(JSON.stringify(answer), raw.length - 1)).toBeLessThan(300);
  });

  it('stops once the base64url text passes the bound when no sizeEstimate comes first', async () => {
    const withoutSize = Object.fromEntries(Object.entries(answer).filter(([key]) => key !== 'sizeEstimate'));
    const read = await stopsAfter(JSON.stringify(withoutSize), 1_500);
    expect(read).toBeGreaterThan(2_000);
    expect(read).toBeLessThan(2_500);
  });

  it('rejects an answer without raw', async () => {
    await expect(readRawMessageJson(chunks('{"id":"1"}', 4), 1_000, () => undefined)).rejects.toThrow(/without a raw field/);
  });
});
