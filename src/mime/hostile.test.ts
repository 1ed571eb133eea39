import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOSTILE_MIME, tooManyPartsMime } from '../../test/helpers/malformed-mime';
import { gmailPayloadToParsed } from './gmail-payload';
import { parseMime } from './parse';
import { MAX_ADDRESS_BYTES, MAX_MESSAGE_ID_BYTES, storable } from './storable';
import type { ParsedEmail } from './types';

const headers = { from: 'Client <client@client.test>', to: 'Owner <owner@agency.test>', subject: 'Hostile', messageId: '<hostile@client.test>' };

/** Every string in a value, however deep (Buffers are bytes, not text). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return [];
  return Object.values(value).flatMap(strings);
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** What Postgres needs of a message before it stores one (see storable.ts). */
function expectStorable(p: ParsedEmail): void {
  for (const s of strings(p)) expect(s.includes('\u0000')).toBe(false);
  for (const id of [p.rfcMessageId, p.inReplyTo, ...p.references]) if (id !== null) expect(bytes(id)).toBeLessThanOrEqual(MAX_MESSAGE_ID_BYTES);
  for (const a of [p.from, ...p.to, ...p.cc, ...p.bcc]) if (a) expect(bytes(a.address)).toBeLessThanOrEqual(MAX_ADDRESS_BYTES);
}

/** A parse either gives a message (which storable() makes storable) or fails as an Error: the caller decides it unreadable. */
async function readOrRefuse(raw: Buffer): Promise<ParsedEmail | Error> {
  try {
    return storable(await parseMime(raw));
  } catch (err) {
    expect(err).toBeInstanceOf(Error);
    return err as Error;
  }
}

describe('hostile mail', () => {
  it('reads each hostile message as a storable message from its sender to its recipient', async () => {
    for (const [name, build] of Object.entries(HOSTILE_MIME)) {
      const parsed = await readOrRefuse(build(headers));
      if (parsed instanceof Error) throw new Error(`${name}: ${parsed.message}`);
      expectStorable(parsed);
      expect(parsed.from, name).toEqual({ address: 'client@client.test', name: 'Client' });
      expect(parsed.to[0], name).toEqual({ address: 'owner@agency.test', name: 'Owner' });
    }
  });

  it('keeps what a hostile message says once its NUL characters and over-long ids are left out', async () => {
    const nul = storable(await parseMime(HOSTILE_MIME['NUL bytes in headers and body']!(headers)));
    expect(nul).toMatchObject({ subject: 'Hostilewith NUL', text: 'bodywithNULs', rfcMessageId: '<hostile@client.test>' });
    const long = storable(await parseMime(HOSTILE_MIME['Message-ID and address over index limits']!(headers)));
    expect(long).toMatchObject({ rfcMessageId: null, references: ['<hostile@client.test>'], to: [{ address: 'owner@agency.test', name: 'Owner' }] });
    const deep = storable(await parseMime(HOSTILE_MIME['multipart nested 200 levels']!(headers)));
    expect(deep.text).toBe('bottom of 200 levels');
    const huge = storable(await parseMime(HOSTILE_MIME['1 MB Subject']!(headers)));
    expect(huge.subject.length).toBeGreaterThan(1_000_000);
  });

  it('refuses a multipart over the parser\'s part limit with an Error (the sync decides it unreadable)', async () => {
    await expect(parseMime(tooManyPartsMime(headers))).rejects.toThrow(/Max allowed child nodes exceeded/);
  });

  it('never crashes on arbitrary bytes, or on hostile headers and bodies spliced into a message', async () => {
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.constantFrom('\u0000', '\r', '\n\n', ':', '=?', '?=', '=?utf-8?B?', '=?x-bogus?Q?', '--b', 'boundary=', '\u00ff\u00fe', '=ZZ', '\t'),
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
    );
    const header = fc.tuple(fc.constantFrom('Subject', 'From', 'To', 'Cc', 'Message-ID', 'References', 'In-Reply-To', 'Content-Type', 'Content-Transfer-Encoding', 'Date', 'X-Junk'), fc.array(piece, { maxLength: 5 }));
    const message = fc.record({
      headers: fc.array(header, { maxLength: 10 }),
      body: fc.array(piece, { maxLength: 10 }),
      raw: fc.option(fc.uint8Array({ maxLength: 2_000 }), { nil: null }),
    });
    await fc.assert(
      fc.asyncProperty(message, async (m) => {
        const raw = m.raw
          ? Buffer.from(m.raw)
          : Buffer.from([...m.headers.map(([name, parts]) => `${name}: ${parts.join('')}`), '', m.body.join('')].join('\r\n'), 'latin1');
        const parsed = await readOrRefuse(raw);
        if (!(parsed instanceof Error)) expectStorable(parsed);
      }),
      { numRuns: 300 },
    );
  });

  it('reads a Gmail part tree 200 levels deep, and makes its NUL characters storable', () => {
    let part: object = { mimeType: 'text/plain', headers: [], body: { data: Buffer.from('deep\u0000text').toString('base64url') } };
    for (let i = 0; i < 200; i++) part = { mimeType: 'multipart/mixed', headers: [], parts: [part] };
    const meta = gmailPayloadToParsed({ id: 'g1', payload: { ...part, headers: [{ name: 'Subject', value: 'a\u0000b' }, { name: 'To', value: 'owner@agency.test' }] } });
    const clean = storable(meta);
    expect(clean).toMatchObject({ subject: 'ab', text: 'deeptext', to: [{ address: 'owner@agency.test', name: '' }] });
  });
});
