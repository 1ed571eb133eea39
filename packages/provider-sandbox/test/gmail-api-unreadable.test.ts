import type { gmail_v1 } from 'googleapis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { sandboxClients, startGmailSandbox, type GmailSandbox } from '../src/gmail';
import { tooManyPartsMime } from './helpers/malformed-mime';

describe('Gmail sandbox: sizes, raw deliveries and messages that fail every time', () => {
  let sandbox: GmailSandbox;
  let gmail: gmail_v1.Gmail;
  const owner = 'sizes@gmail.test';

  beforeAll(async () => {
    sandbox = await startGmailSandbox();
    gmail = sandboxClients(sandbox, sandbox.control.createAccount(owner).refreshToken).gmail;
  });
  afterAll(() => sandbox.close());

  it('gives sizeEstimate in every format, and format=full an attachment as its size and id without its bytes', async () => {
    const pdf = Buffer.alloc(3 * 1024 * 1024, 0x25);
    const ref = await sandbox.control.deliver(owner, { from: 'client@example.com', subject: 'Big file', text: 'see attached', attachments: [{ filename: 'big.pdf', contentType: 'application/pdf', content: pdf }] });
    const raw = await gmail.users.messages.get({ userId: 'me', id: ref.messageId, format: 'raw' });
    const rawBytes = Buffer.from(raw.data.raw!, 'base64url');
    expect(raw.data.sizeEstimate).toBe(rawBytes.length);
    const minimal = await gmail.users.messages.get({ userId: 'me', id: ref.messageId, format: 'minimal' });
    expect(minimal.data).toEqual({ id: ref.messageId, threadId: ref.threadId, labelIds: ['INBOX', 'UNREAD'], snippet: 'see attached', sizeEstimate: rawBytes.length, historyId: expect.any(String), internalDate: expect.any(String) });

    const full = await gmail.users.messages.get({ userId: 'me', id: ref.messageId, format: 'full' });
    expect(full.data.sizeEstimate).toBe(rawBytes.length);
    const attachment = full.data.payload!.parts!.find((p) => p.filename === 'big.pdf')!;
    expect(attachment).toMatchObject({ partId: '1', mimeType: 'application/pdf', body: { size: pdf.length, attachmentId: expect.any(String) } });
    expect(attachment.body!.data).toBeUndefined();
    expect(JSON.stringify(full.data).length).toBeLessThan(16 * 1024);
    const bytes = await gmail.users.messages.attachments.get({ userId: 'me', messageId: ref.messageId, id: attachment.body!.attachmentId! });
    expect(bytes.data.size).toBe(pdf.length);
    expect(Buffer.from(bytes.data.data!, 'base64url').equals(pdf)).toBe(true);
  });

  it('delivers raw bytes unchecked: malformed MIME reaches the client as it was sent, and does not parse', async () => {
    const raw = tooManyPartsMime({ from: 'client@example.com', to: owner, subject: 'Broken', messageId: '<broken-1@example.com>' });
    const ref = await sandbox.control.deliverRaw(owner, { raw });
    expect(ref).toMatchObject({ rfcMessageId: '<broken-1@example.com>', copies: [{ address: owner, messageId: ref.messageId }] });
    const got = await gmail.users.messages.get({ userId: 'me', id: ref.messageId, format: 'raw' });
    const bytes = Buffer.from(got.data.raw!, 'base64url');
    expect(bytes.toString('latin1')).toBe(`Delivered-To: ${owner}\r\n${raw.toString('latin1')}`);
    expect(got.data.sizeEstimate).toBe(bytes.length);
    await expect(simpleParser(bytes)).rejects.toThrow(/child nodes/);
    const listed = await gmail.users.messages.list({ userId: 'me', q: 'subject:Broken' });
    expect(listed.data.messages).toEqual([{ id: ref.messageId, threadId: ref.threadId }]);
  });

  it('delivers raw bytes over the HTTP control API too', async () => {
    const raw = tooManyPartsMime({ from: 'client@example.com', to: owner, subject: 'Broken over HTTP', messageId: '<broken-2@example.com>' });
    const res = await fetch(new URL('sandbox/gmail/deliver-raw', sandbox.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deliverTo: owner, raw: raw.toString('base64') }),
    });
    const ref = (await res.json()) as { messageId: string };
    expect(res.status).toBe(200);
    expect(sandbox.control.getMessage(owner, ref.messageId)).toMatchObject({ subject: 'Broken over HTTP', rfcMessageId: '<broken-2@example.com>' });
  });

  it('fails every call on one message with a per-message fault, and only on it', async () => {
    const bad = await sandbox.control.deliver(owner, { from: 'client@example.com', subject: 'Cursed', text: 'x' });
    const good = await sandbox.control.deliver(owner, { from: 'client@example.com', subject: 'Fine', text: 'y' });
    sandbox.control.injectFaults({ mailbox: owner, messageId: bad.messageId, status: 500 });
    sandbox.control.resetCounters(owner);
    for (const format of ['raw', 'full'] as const) {
      await expect(gmail.users.messages.get({ userId: 'me', id: bad.messageId, format })).rejects.toMatchObject({ status: 500 });
    }
    expect((await gmail.users.messages.get({ userId: 'me', id: good.messageId, format: 'raw' })).data.id).toBe(good.messageId);
    expect((await gmail.users.messages.list({ userId: 'me' })).data.messages).toContainEqual({ id: bad.messageId, threadId: bad.threadId });
    // gaxios retries a GET on 5xx three times: each logical read is four calls, all failed.
    expect(sandbox.control.counters(owner)).toMatchObject({ calls: { 'messages.get': 9, 'messages.list': 1 }, faultsInjected: 8 });
    sandbox.control.clearFaults();
    expect((await gmail.users.messages.get({ userId: 'me', id: bad.messageId, format: 'minimal' })).data.id).toBe(bad.messageId);
  });
});
