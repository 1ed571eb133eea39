import os from 'node:os';
import path from 'node:path';
import { type GraphError } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSandboxAccount, startGraphSandbox, type ConnectedAccount, type GraphSandbox } from '../src/microsoft';

const IMMUTABLE = 'IdType="ImmutableId"';

describe('Graph sandbox: attachment sizes without bytes, and messages that fail every time', () => {
  let sandbox: GraphSandbox;
  let ann: ConnectedAccount;

  beforeAll(async () => {
    sandbox = await startGraphSandbox({ certDir: path.join(os.tmpdir(), 'mailsync-graph-test-ca'), port: 0 });
    ann = await connectSandboxAccount(sandbox, 'ann@sizes.test');
  });
  afterAll(() => sandbox.close());

  const failure = async (p: Promise<unknown>) => (await p.then(() => null, (e: unknown) => e)) as GraphError | null;

  it('lists attachments with $expand=attachments($select=…): sizes and ids, no contentBytes', async () => {
    const pdf = Buffer.alloc(2 * 1024 * 1024, 0x25);
    const ref = await sandbox.control.deliver('ann@sizes.test', { from: 'jo@client.test', subject: 'Big file', text: 'see attached', attachments: [{ filename: 'big.pdf', contentType: 'application/pdf', content: pdf }] });
    const url = `/me/messages/${ref.immutableId}?$select=subject,hasAttachments&$expand=attachments($select=id,name,contentType,size,isInline)`;
    const message = await ann.client.api(url).header('Prefer', IMMUTABLE).get();
    expect(message).toMatchObject({ id: ref.immutableId, subject: 'Big file', hasAttachments: true });
    expect(message.attachments).toEqual([
      {
        '@odata.type': '#microsoft.graph.fileAttachment',
        '@odata.mediaContentType': 'application/pdf',
        id: expect.any(String),
        name: 'big.pdf',
        contentType: 'application/pdf',
        size: pdf.length,
        isInline: false,
      },
    ]);
    const listed = await ann.client.api(`/me/messages/${ref.immutableId}/attachments`).select(['name', 'size']).get();
    expect(listed.value).toEqual([expect.objectContaining({ name: 'big.pdf', size: pdf.length })]);
    expect(listed.value[0]).not.toHaveProperty('contentBytes');
    const whole = await ann.client.api(`/me/messages/${ref.immutableId}/attachments/${message.attachments[0].id}`).get();
    expect(Buffer.from(whole.contentBytes, 'base64').equals(pdf)).toBe(true);
    const bad = await failure(ann.client.api(`/me/messages/${ref.immutableId}?$expand=attachments($select=sizeInBytes)`).get());
    expect(bad).toMatchObject({ statusCode: 400, code: 'RequestBroker--ParseUri' });
  });

  it('fails every request on one message with a per-message fault, by either of its ids, and only on it', async () => {
    const bad = await sandbox.control.deliver('ann@sizes.test', { from: 'jo@client.test', subject: 'Cursed', text: 'x' });
    const good = await sandbox.control.deliver('ann@sizes.test', { from: 'jo@client.test', subject: 'Fine', text: 'y' });
    await sandbox.control.injectFaults({ mailbox: 'ann@sizes.test', messageId: bad.immutableId, status: 500 });
    await sandbox.control.resetCounters('ann@sizes.test');
    for (let i = 0; i < 3; i++) {
      expect(await failure(ann.client.api(`/me/messages/${bad.immutableId}/$value`).header('Prefer', IMMUTABLE).getStream())).toMatchObject({ statusCode: 500 });
    }
    expect(await failure(ann.client.api(`/me/messages/${bad.id}`).get())).toMatchObject({ statusCode: 500, code: 'generalException' });
    const stream = (await ann.client.api(`/me/messages/${good.immutableId}/$value`).header('Prefer', IMMUTABLE).getStream()) as AsyncIterable<Uint8Array>;
    let mime = '';
    for await (const chunk of stream) mime += Buffer.from(chunk).toString('utf8');
    expect(mime).toContain('Subject: Fine');
    expect(await sandbox.control.counters('ann@sizes.test')).toMatchObject({ calls: { 'messages.mime': 4, 'messages.get': 1 }, faultsInjected: 4 });
    await sandbox.control.clearFaults();
    expect((await ann.client.api(`/me/messages/${bad.immutableId}`).header('Prefer', IMMUTABLE).select('subject').get()).subject).toBe('Cursed');
  });
});
