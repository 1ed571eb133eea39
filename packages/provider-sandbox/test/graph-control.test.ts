import os from 'node:os';
import path from 'node:path';
import { ResponseType } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphFetchOptions } from '../src/microsoft/trust';
import { connectSandboxAccount, startGraphSandbox, type ConnectedAccount, type GraphSandbox, type MessageRef, type MailboxCounters, type SandboxGrant, type SandboxMessageView } from '../src/microsoft';

let sandbox: GraphSandbox;

beforeAll(async () => {
  sandbox = await startGraphSandbox({ certDir: path.join(os.tmpdir(), 'mailsync-graph-test-ca'), port: 0 });
});

afterAll(async () => {
  await sandbox.close();
});

async function control<T>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${sandbox.origin}/sandbox/graph/${route}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    ...(createGraphFetchOptions(sandbox.caPem) as RequestInit),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

const header = (m: SandboxMessageView, name: string) =>
  (m.internetMessageHeaders as { name: string; value: string }[] | undefined)?.find((h) => h.name === name)?.value;

describe('control API over HTTP', () => {
  it('creates accounts, delivers, sends as the owner, lists, and reads counters and the CA', async () => {
    const created = await control<SandboxGrant>('POST', 'accounts', { address: 'Eve@Control.test', displayName: 'Eve' });
    expect(created).toMatchObject({ status: 201, body: { address: 'eve@control.test', clientId: sandbox.clientId, tenant: sandbox.tenant } });

    const attachment = { filename: 'a.txt', contentType: 'text/plain', contentBase64: Buffer.from('abc').toString('base64') };
    const delivered = await control<MessageRef>('POST', 'accounts/eve@control.test/deliver', { from: 'Zed <zed@outside.test>', subject: 'Offer', text: 'hello', attachments: [attachment] });
    expect(delivered.status).toBe(201);

    const replied = await control<MessageRef>('POST', 'accounts/eve@control.test/send', { replyToId: delivered.body.id, text: 'Thanks!' });
    expect(replied.body.conversationId).toBe(delivered.body.conversationId);

    const sent = await control<{ value: SandboxMessageView[] }>('GET', 'accounts/eve@control.test/messages?folder=sentitems');
    expect(sent.body.value).toHaveLength(1);
    expect(sent.body.value[0]).toMatchObject({ subject: 'RE: Offer', folder: 'sentitems', toRecipients: [{ emailAddress: { name: 'Zed', address: 'zed@outside.test' } }] });
    const inbox = await control<{ value: SandboxMessageView[] }>('GET', 'accounts/eve@control.test/messages?folder=inbox');
    expect(inbox.body.value[0]).toMatchObject({ hasAttachments: true, subject: 'Offer' });

    expect((await control('POST', 'faults', { mailbox: 'eve@control.test', status: 503, count: 1 })).status).toBe(204);
    expect((await control('DELETE', 'faults')).status).toBe(204);
    // The owner's send above went through the control API, not Graph: it is not an API send.
    const counters = await control<MailboxCounters>('GET', 'accounts/eve@control.test/counters');
    expect(counters.body).toMatchObject({ mailbox: 'eve@control.test', sendsAccepted: 0, calls: {} });

    const ca = await fetch(`${sandbox.origin}/sandbox/graph/ca.pem`, createGraphFetchOptions(sandbox.caPem) as RequestInit);
    expect(await ca.text()).toBe(sandbox.caPem);
    expect((await control('GET', 'accounts/nobody@control.test/messages')).status).toBe(404);
  });
});

describe('the owner in Outlook and Graph reply actions', () => {
  let ann: ConnectedAccount;
  let bob: ConnectedAccount;

  beforeAll(async () => {
    ann = await connectSandboxAccount(sandbox, 'ann@control.test');
    bob = await connectSandboxAccount(sandbox, 'bob@control.test');
  });

  it('delivers a reply between sandbox mailboxes with threading headers and a shared conversation per mailbox', async () => {
    const original = await sandbox.control.sendAsOwner('bob@control.test', { to: ['ann@control.test'], cc: ['carl@outside.test'], subject: 'Kickoff', text: 'Monday?' });
    const [received] = (await sandbox.control.listMessages('ann@control.test', { folder: 'inbox' })).filter((m) => m.internetMessageId === original.internetMessageId);
    expect(received).toBeDefined();

    await ann.client.api(`/me/messages/${received?.id}/replyAll`).post({ comment: 'Monday works.' });
    const answer = (await sandbox.control.listMessages('bob@control.test', { folder: 'inbox' })).find((m) => m.subject === 'RE: Kickoff');
    expect(answer).toBeDefined();
    expect(answer?.conversationId).toBe(original.conversationId);
    expect(header(answer!, 'In-Reply-To')).toBe(original.internetMessageId);
    expect(answer?.ccRecipients).toEqual([{ emailAddress: { name: 'carl@outside.test', address: 'carl@outside.test' } }]);
  });

  it('forwards with FW: and keeps the attachments; an empty recipient list is refused', async () => {
    const inbound = await sandbox.control.deliver('ann@control.test', { from: 'dora@outside.test', subject: 'Invoice', text: 'attached', attachments: [{ filename: 'inv.pdf', contentType: 'application/pdf', content: 'pdf' }] });
    const refused = await ann.client.api(`/me/messages/${inbound.id}/forward`).post({ comment: 'fyi' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ statusCode: 400, code: 'ErrorInvalidRecipients' });

    await ann.client.api(`/me/messages/${inbound.id}/forward`).post({ comment: 'fyi', toRecipients: [{ emailAddress: { address: 'bob@control.test' } }] });
    const forwarded = (await sandbox.control.listMessages('bob@control.test', { folder: 'inbox' })).find((m) => m.subject === 'FW: Invoice');
    expect(forwarded).toMatchObject({ hasAttachments: true });
  });

  it('lists with $top, $orderby and a $skip nextLink', async () => {
    for (const n of [1, 2, 3]) await sandbox.control.deliver('bob@control.test', { from: 'x@outside.test', subject: `list ${n}`, text: 'b', receivedDateTime: `2026-01-0${n}T10:00:00Z` });
    const first = await bob.client.api('/me/mailFolders/inbox/messages').filter("startswith(subject, 'list')").orderby('receivedDateTime asc').top(2).select(['subject']).get();
    expect(first.value.map((m: { subject: string }) => m.subject)).toEqual(['list 1', 'list 2']);
    const second = await bob.client.api(first['@odata.nextLink']).get();
    expect(second.value.map((m: { subject: string }) => m.subject)).toEqual(['list 3']);
    expect(second['@odata.nextLink']).toBeUndefined();
    const mime: string = await bob.client.api(`/me/messages/${first.value[0].id}/$value`).responseType(ResponseType.TEXT).get();
    expect(mime).toMatch(/^Subject: list 1$/m);
  });
});
