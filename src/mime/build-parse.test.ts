import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildMime, MimeBuildError } from './build';
import { generateMessageId, MessageIdError } from './message-id';
import { parseMime } from './parse';
import type { OutgoingEmail } from './types';

const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(70_000), Buffer.from([0x00, 0x0d, 0x0a, 0xff])]);
const png = randomBytes(2_048);

function reply(overrides: Partial<OutgoingEmail> = {}): OutgoingEmail {
  return {
    from: { address: 'ana@agency.example', name: 'Ana Owner' },
    to: [
      { address: 'Zoe.Zimmer@Client.example', name: 'Zimmer, Zoë' },
      { address: 'adam@client.example' },
      { address: 'mia@client.example', name: 'Mia "M" Park' },
    ],
    cc: [{ address: 'ops@agency.example', name: 'Ops' }],
    bcc: [{ address: 'c_7f3a91@bcc.mailsync.example' }, { address: 'boss@agency.example', name: 'Boss' }],
    subject: 'Re: Angebot für Q3 – nächste Schritte 🚀 日本語の件名もテストします。長い件名は折り返されます',
    text: 'Hallo Zoë,\n\nanbei das Angebot.\n',
    html: '<p>Hallo Zoë,</p><p>anbei das <b>Angebot</b>.</p>',
    attachments: [
      { filename: 'Angebot Q3 – Müller.pdf', contentType: 'application/pdf', content: pdf },
      { filename: 'logo.png', contentType: 'image/png', content: png },
    ],
    messageId: generateMessageId('mailsync.example', '0f6c2a7e-5b1d-4c8e-9f3a-2d7b6e1c4a90'),
    inReplyTo: '<CAJx8kq2Vd1mZrT5bQe7n3Yw@mail.gmail.com>',
    references: ['<first@client.example>', '<CAJx8kq2Vd1mZrT5bQe7n3Yw@mail.gmail.com>'],
    date: new Date('2024-05-01T09:15:00.000Z'),
    ...overrides,
  };
}

describe('buildMime → parseMime', () => {
  it('round-trips ids, reply headers, addresses in header order, Bcc, subject, bodies and attachments', async () => {
    const built = await buildMime(reply());
    expect(built.messageId).toBe('<0f6c2a7e-5b1d-4c8e-9f3a-2d7b6e1c4a90@mailsync.example>');
    const parsed = await parseMime(built.raw);
    const { attachments, ...rest } = parsed;
    expect(rest).toEqual({
      rfcMessageId: '<0f6c2a7e-5b1d-4c8e-9f3a-2d7b6e1c4a90@mailsync.example>',
      inReplyTo: '<CAJx8kq2Vd1mZrT5bQe7n3Yw@mail.gmail.com>',
      references: ['<first@client.example>', '<CAJx8kq2Vd1mZrT5bQe7n3Yw@mail.gmail.com>'],
      subject: 'Re: Angebot für Q3 – nächste Schritte 🚀 日本語の件名もテストします。長い件名は折り返されます',
      from: { address: 'ana@agency.example', name: 'Ana Owner' },
      to: [
        { address: 'zoe.zimmer@client.example', name: 'Zimmer, Zoë' },
        { address: 'adam@client.example', name: '' },
        { address: 'mia@client.example', name: 'Mia "M" Park' },
      ],
      cc: [{ address: 'ops@agency.example', name: 'Ops' }],
      bcc: [
        { address: 'c_7f3a91@bcc.mailsync.example', name: '' },
        { address: 'boss@agency.example', name: 'Boss' },
      ],
      date: '2024-05-01T09:15:00.000Z',
      text: 'Hallo Zoë,\n\nanbei das Angebot.\n',
      html: '<p>Hallo Zoë,</p><p>anbei das <b>Angebot</b>.</p>',
    });
    expect(attachments.map(({ content: _c, ...meta }) => meta)).toEqual([
      { filename: 'Angebot Q3 – Müller.pdf', contentType: 'application/pdf', size: pdf.length },
      { filename: 'logo.png', contentType: 'image/png', size: png.length },
    ]);
    expect(attachments[0]?.content?.equals(pdf)).toBe(true);
    expect(attachments[1]?.content?.equals(png)).toBe(true);
  });

  it('writes only ASCII header lines no longer than 998 octets', async () => {
    const { raw } = await buildMime(reply());
    const head = raw.toString('latin1').split('\r\n\r\n')[0] ?? '';
    expect(/^[\x20-\x7e\r\n\t]*$/.test(head)).toBe(true);
    expect(Math.max(...head.split('\r\n').map((l) => l.length))).toBeLessThanOrEqual(998);
  });

  it('leaves Bcc out of the raw message when keepBcc is false', async () => {
    const { raw } = await buildMime(reply(), { keepBcc: false });
    expect(raw.toString('latin1')).not.toMatch(/^Bcc:/im);
    expect((await parseMime(raw)).bcc).toEqual([]);
  });

  it('builds a new (non-reply) text-only message without reply headers or attachments', async () => {
    const { raw } = await buildMime(
      reply({ html: undefined, attachments: undefined, inReplyTo: undefined, references: undefined, cc: [], bcc: [], subject: 'Hello' }),
    );
    const parsed = await parseMime(raw);
    expect(parsed).toMatchObject({ inReplyTo: null, references: [], cc: [], bcc: [], subject: 'Hello', html: null, attachments: [] });
    expect(parsed.text).toBe('Hallo Zoë,\n\nanbei das Angebot.\n');
  });

  it('keeps text null for an HTML-only message instead of deriving text from the HTML', async () => {
    const parsed = await parseMime((await buildMime(reply({ text: undefined, attachments: undefined }))).raw);
    expect(parsed.text).toBeNull();
    // A single-part body ends with the message's final line break.
    expect(parsed.html?.trimEnd()).toBe('<p>Hallo Zoë,</p><p>anbei das <b>Angebot</b>.</p>');
  });

  it('adds angle brackets to ids given without them', async () => {
    const built = await buildMime(reply({ messageId: 'abc-123@mailsync.example', inReplyTo: 'parent@client.example', references: ['parent@client.example'] }));
    expect(built.messageId).toBe('<abc-123@mailsync.example>');
    const parsed = await parseMime(built.raw);
    expect([parsed.rfcMessageId, parsed.inReplyTo, parsed.references]).toEqual(['<abc-123@mailsync.example>', '<parent@client.example>', ['<parent@client.example>']]);
  });

  it('rejects a message id that is not an id and a message without recipients', async () => {
    await expect(buildMime(reply({ messageId: 'not an id' }))).rejects.toBeInstanceOf(MessageIdError);
    await expect(buildMime(reply({ to: [], cc: [], bcc: [] }))).rejects.toBeInstanceOf(MimeBuildError);
  });

  it('builds a message with only Bcc recipients and keeps them', async () => {
    const parsed = await parseMime((await buildMime(reply({ to: [], cc: [] }))).raw);
    expect(parsed.to).toEqual([]);
    expect(parsed.bcc.map((a) => a.address)).toEqual(['c_7f3a91@bcc.mailsync.example', 'boss@agency.example']);
  });
});
