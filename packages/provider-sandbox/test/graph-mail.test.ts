import os from 'node:os';
import path from 'node:path';
import { GraphError, ResponseType } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphFetchOptions } from '../src/microsoft/trust';
import { connectSandboxAccount, startGraphSandbox, type ConnectedAccount, type GraphSandbox } from '../src/microsoft';

let sandbox: GraphSandbox;
let ann: ConnectedAccount;
let bob: ConnectedAccount;

const to = (...addresses: string[]) => addresses.map((address) => ({ emailAddress: { address } }));
const IMMUTABLE = 'IdType="ImmutableId"';

beforeAll(async () => {
  sandbox = await startGraphSandbox({ certDir: path.join(os.tmpdir(), 'mailsync-graph-test-ca'), port: 0 });
  ann = await connectSandboxAccount(sandbox, 'ann@mail.test');
  bob = await connectSandboxAccount(sandbox, 'bob@mail.test');
});

afterAll(async () => {
  await sandbox.close();
});

async function byMessageId(account: ConnectedAccount, internetMessageId: string) {
  const res = await account.client.api('/me/messages').filter(`internetMessageId eq '${encodeURIComponent(internetMessageId)}'`).select(['id', 'subject', 'parentFolderId', 'conversationId', 'isDraft', 'bccRecipients']).get();
  return res.value as Record<string, unknown>[];
}

describe('drafts and sending', () => {
  it('keeps a chosen internetMessageId through send, files the copy in Sent Items and delivers it', async () => {
    const draft = await ann.client.api('/me/messages').header('Prefer', IMMUTABLE).post({
      subject: 'Quote 17',
      body: { contentType: 'html', content: '<p>Here is the quote</p>' },
      toRecipients: to('bob@mail.test'),
      bccRecipients: to('audit@outside.test'),
      internetMessageId: '<crm-17@crm.test>',
    });
    expect(draft).toMatchObject({ isDraft: true, internetMessageId: '<crm-17@crm.test>' });

    const accepted: Response = await ann.client.api(`/me/messages/${draft.id}/send`).responseType(ResponseType.RAW).post(null);
    expect(accepted.status).toBe(202);
    expect(await accepted.text()).toBe('');

    const sentItems = await ann.client.api('/me/mailFolders/sentitems').get();
    const [sent] = await byMessageId(ann, '<crm-17@crm.test>');
    expect(sent).toMatchObject({ subject: 'Quote 17', parentFolderId: sentItems.id, isDraft: false, bccRecipients: to('audit@outside.test').map((r) => ({ emailAddress: { ...r.emailAddress, name: r.emailAddress.address } })) });
    const immutable = await ann.client.api(`/me/messages/${draft.id}`).header('Prefer', IMMUTABLE).select(['id', 'parentFolderId']).get();
    expect(immutable).toMatchObject({ id: draft.id, parentFolderId: sentItems.id });

    const [received] = await byMessageId(bob, '<crm-17@crm.test>');
    expect(received).toMatchObject({ subject: 'Quote 17', isDraft: false, bccRecipients: [] });
    const headers = await bob.client.api(`/me/messages/${received?.id}`).select(['internetMessageHeaders']).get();
    expect(headers.internetMessageHeaders).toContainEqual({ name: 'Message-ID', value: '<crm-17@crm.test>' });
    expect((await sandbox.control.counters('ann@mail.test')).sendsAccepted).toBe(1);
  });

  it('gives the draft a new default id once it moves to Sent Items', async () => {
    const draft = await ann.client.api('/me/messages').post({ subject: 'Moves', toRecipients: to('x@outside.test') });
    await ann.client.api(`/me/messages/${draft.id}/send`).post(null);
    const gone = await ann.client.api(`/me/messages/${draft.id}`).get().catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(GraphError);
    expect(gone).toMatchObject({ statusCode: 404, code: 'ErrorItemNotFound' });
  });

  it('sendMail answers 202 without an id and saves to Sent Items unless told not to', async () => {
    const message = { subject: 'Direct', body: { contentType: 'text', content: 'hi' }, toRecipients: to('bob@mail.test'), internetMessageId: '<direct-1@crm.test>' };
    const accepted: Response = await ann.client.api('/me/sendMail').responseType(ResponseType.RAW).post({ message });
    expect(accepted.status).toBe(202);
    expect(await accepted.text()).toBe('');
    expect(await byMessageId(ann, '<direct-1@crm.test>')).toHaveLength(1);
    await ann.client.api('/me/sendMail').post({ message: { ...message, internetMessageId: '<direct-2@crm.test>' }, saveToSentItems: false });
    expect(await byMessageId(ann, '<direct-2@crm.test>')).toHaveLength(0);
    expect(await byMessageId(bob, '<direct-2@crm.test>')).toHaveLength(1);
  });

  it('refuses non-x- internet message headers', async () => {
    const refused = await ann.client
      .api('/me/messages')
      .post({ subject: 'h', internetMessageHeaders: [{ name: 'In-Reply-To', value: '<a@b>' }] })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ statusCode: 400, code: 'InvalidInternetMessageHeader' });
  });
});

describe('conversations', () => {
  it('groups a reply with its parent and starts a new conversation when the subject changes', async () => {
    const inbound = await sandbox.control.deliver('ann@mail.test', { from: 'Carol <carol@outside.test>', subject: 'Pricing', text: 'What does it cost?' });
    const reply = await ann.client.api(`/me/messages/${inbound.id}/createReply`).post({ comment: 'About 10k.' });
    expect(reply).toMatchObject({ subject: 'RE: Pricing', conversationId: inbound.conversationId, toRecipients: [{ emailAddress: { name: 'Carol', address: 'carol@outside.test' } }] });
    await ann.client.api(`/me/messages/${reply.id}/send`).post(null);

    const follow = await sandbox.control.deliver('ann@mail.test', { from: 'carol@outside.test', subject: 'RE: Pricing', text: 'ok', inReplyTo: reply.internetMessageId, references: [inbound.internetMessageId, reply.internetMessageId] });
    const renamed = await sandbox.control.deliver('ann@mail.test', { from: 'carol@outside.test', subject: 'RE: Pricing for 2027', text: 'new', inReplyTo: reply.internetMessageId, references: [reply.internetMessageId] });
    expect(follow.conversationId).toBe(inbound.conversationId);
    expect(renamed.conversationId).not.toBe(inbound.conversationId);

    // Conversation ids are base64 and may hold '+', which a query string reads as a space unless escaped.
    const listed = await ann.client.api('/me/messages').filter(`conversationId eq '${encodeURIComponent(inbound.conversationId)}'`).select(['subject']).get();
    expect(listed.value.map((m: { subject: string }) => m.subject).sort()).toEqual(['Pricing', 'RE: Pricing', 'RE: Pricing']);
  });

  it('reads In-Reply-To and References from a MIME draft and renders them in $value', async () => {
    const parent = await sandbox.control.deliver('ann@mail.test', { from: 'dan@outside.test', subject: 'Contract', text: 'see attached', internetMessageId: '<contract-1@outside.test>' });
    const mime = [
      'From: ann@mail.test', 'To: dan@outside.test', 'Subject: Re: Contract', 'Message-ID: <crm-reply-1@crm.test>',
      'In-Reply-To: <contract-1@outside.test>', 'References: <contract-1@outside.test>', 'Content-Type: text/plain; charset=utf-8', '', 'Signed.',
    ].join('\r\n');
    const draft = await ann.client.api('/me/messages').header('Content-Type', 'text/plain').post(Buffer.from(mime).toString('base64'));
    expect(draft).toMatchObject({ internetMessageId: '<crm-reply-1@crm.test>', conversationId: parent.conversationId });
    const raw: string = await ann.client.api(`/me/messages/${draft.id}/$value`).responseType(ResponseType.TEXT).get();
    expect(raw).toMatch(/^In-Reply-To: <contract-1@outside\.test>$/m);
    expect(raw).toMatch(/^Message-ID: <crm-reply-1@crm\.test>$/m);
  });
});

describe('attachments', () => {
  const big = Buffer.alloc(Math.floor(3.5 * 1024 * 1024), 7);

  it('refuses a file over 3 MB inline and attaches it through an upload session', async () => {
    const inline = { '@odata.type': '#microsoft.graph.fileAttachment', name: 'big.pdf', contentType: 'application/pdf', contentBytes: big.toString('base64') };
    const refused = await ann.client.api('/me/messages').post({ subject: 'Big', attachments: [inline] }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ statusCode: 413 });

    const draft = await ann.client.api('/me/messages').post({ subject: 'Big', toRecipients: to('bob@mail.test') });
    const tooSmall = await ann.client.api(`/me/messages/${draft.id}/attachments/createUploadSession`).post({ AttachmentItem: { attachmentType: 'file', name: 's.txt', size: 1000 } }).catch((e: unknown) => e);
    expect(tooSmall).toMatchObject({ statusCode: 400, code: 'ErrorAttachmentSizeShouldNotBeLessThanMinimumSize' });

    const session = await ann.client.api(`/me/messages/${draft.id}/attachments/createUploadSession`).post({ AttachmentItem: { attachmentType: 'file', name: 'big.pdf', size: big.length, contentType: 'application/pdf' } });
    expect(session.nextExpectedRanges).toEqual(['0-']);
    const half = 2 * 1024 * 1024;
    const put = (start: number, end: number) =>
      fetch(session.uploadUrl, { method: 'PUT', body: big.subarray(start, end + 1), headers: { 'Content-Range': `bytes ${start}-${end}/${big.length}` }, ...(createGraphFetchOptions(sandbox.caPem) as RequestInit) });
    const first = await put(0, half - 1);
    expect(first.status).toBe(200);
    expect(((await first.json()) as { nextExpectedRanges: string[] }).nextExpectedRanges).toEqual([`${half}-`]);
    const last = await put(half, big.length - 1);
    expect(last.status).toBe(201);
    expect(last.headers.get('location')).toContain('/Attachments(');

    const listed = await ann.client.api(`/me/messages/${draft.id}/attachments`).get();
    expect(listed.value).toHaveLength(1);
    expect(listed.value[0]).toMatchObject({ name: 'big.pdf', size: big.length, contentType: 'application/pdf' });
  });

  it('accepts a small file inline and marks the message as having attachments', async () => {
    const small = { '@odata.type': '#microsoft.graph.fileAttachment', name: 'note.txt', contentType: 'text/plain', contentBytes: Buffer.from('hello').toString('base64') };
    const draft = await ann.client.api('/me/messages').post({ subject: 'Small', attachments: [small] });
    expect(draft.hasAttachments).toBe(true);
    const expanded = await ann.client.api(`/me/messages/${draft.id}`).expand('attachments').get();
    expect(expanded.attachments[0]).toMatchObject({ name: 'note.txt', size: 5, contentBytes: Buffer.from('hello').toString('base64') });
  });
});
