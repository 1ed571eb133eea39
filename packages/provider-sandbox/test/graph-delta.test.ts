import os from 'node:os';
import path from 'node:path';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSandboxAccount, startGraphSandbox, type ConnectedAccount, type GraphSandbox } from '../src/microsoft';

let sandbox: GraphSandbox;
let ann: ConnectedAccount;

interface DeltaPage {
  value: Record<string, unknown>[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

beforeAll(async () => {
  sandbox = await startGraphSandbox({ certDir: path.join(os.tmpdir(), 'mailsync-graph-test-ca'), port: 0 });
  ann = await connectSandboxAccount(sandbox, 'ann@delta.test');
});

afterAll(async () => {
  await sandbox.close();
});

/** Follows nextLinks as the client gets them until the round ends; returns the pages and the deltaLink. */
async function round(start: string, pageSize: number): Promise<{ pages: DeltaPage[]; deltaLink: string }> {
  const pages: DeltaPage[] = [];
  let link: string | undefined = start;
  while (link) {
    const page: DeltaPage = await ann.client.api(link).header('Prefer', `odata.maxpagesize=${pageSize}`).get();
    pages.push(page);
    if (page['@odata.deltaLink']) return { pages, deltaLink: page['@odata.deltaLink'] };
    link = page['@odata.nextLink'];
  }
  throw new Error('round ended without a deltaLink');
}

const subjects = (pages: DeltaPage[]) => pages.flatMap((p) => p.value.filter((m) => !m['@removed']).map((m) => m.subject));

describe('per-folder delta', () => {
  it('pages the whole folder first, then returns only what changed, with @removed for moves out', async () => {
    for (const n of [1, 2, 3, 4, 5]) await sandbox.control.deliver('ann@delta.test', { from: 'x@outside.test', subject: `old ${n}`, text: 'b' });

    const first = await round('/me/mailFolders/inbox/messages/delta?$select=subject,receivedDateTime', 2);
    expect(first.pages.map((p) => p.value.length)).toEqual([2, 2, 1]);
    expect(subjects(first.pages)).toEqual(['old 1', 'old 2', 'old 3', 'old 4', 'old 5']);
    const nextLink = first.pages[0]?.['@odata.nextLink'] ?? '';
    expect(nextLink.startsWith(`${sandbox.origin}/v1.0/me/mailFolders/`)).toBe(true);
    expect(nextLink).toContain('$skiptoken=');
    expect(first.deltaLink).toContain('$deltatoken=');
    expect(Object.keys(first.pages[0]?.value[0] ?? {}).sort()).toEqual(['@odata.etag', '@odata.type', 'id', 'receivedDateTime', 'subject']);

    const fresh = await sandbox.control.deliver('ann@delta.test', { from: 'x@outside.test', subject: 'new 1', text: 'b' });
    const archived = first.pages[0]?.value[0];
    const archive = await ann.client.api('/me/mailFolders/archive').get();
    await ann.client.api(`/me/messages/${archived?.id}/move`).post({ destinationId: archive.id });

    const second = await round(first.deltaLink, 10);
    const items = second.pages.flatMap((p) => p.value);
    expect(items).toContainEqual({ '@odata.type': '#microsoft.graph.message', id: archived?.id, '@removed': { reason: 'deleted' } });
    expect(subjects(second.pages)).toEqual(['new 1']);
    expect(items.find((m) => m.subject === 'new 1')?.id).toBe(fresh.id);

    const quiet = await round(second.deltaLink, 10);
    expect(quiet.pages).toHaveLength(1);
    expect(quiet.pages[0]?.value).toEqual([]);
  });

  it('answers an evicted token with 410 SyncStateNotFound', async () => {
    const { deltaLink } = await round('/me/mailFolders/inbox/messages/delta', 50);
    await sandbox.control.expireDeltaTokens('ann@delta.test');
    const gone = await ann.client.api(deltaLink).get().catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(GraphError);
    expect(gone).toMatchObject({ statusCode: 410, code: 'SyncStateNotFound' });

    const restarted = await round('/me/mailFolders/inbox/messages/delta', 50);
    expect(subjects(restarted.pages).length).toBeGreaterThan(0);
  });

  it('tracks Sent Items separately and uses immutable ids when asked', async () => {
    const start = await ann.client.api('/me/mailFolders/sentitems/messages/delta').header('Prefer', 'IdType="ImmutableId"').get();
    expect(start.value).toEqual([]);
    const draft = await ann.client.api('/me/messages').header('Prefer', 'IdType="ImmutableId"').post({ subject: 'sent one', toRecipients: [{ emailAddress: { address: 'x@outside.test' } }] });
    await ann.client.api(`/me/messages/${draft.id}/send`).post(null);
    const next = await ann.client.api(start['@odata.deltaLink']).header('Prefer', 'IdType="ImmutableId"').get();
    expect(next.value.map((m: { id: string; subject: string }) => [m.id, m.subject])).toEqual([[draft.id, 'sent one']]);
  });
  it('reports a read change as an update, and DELETE (to Deleted Items) and permanentDelete as @removed', async () => {
    const immutable = (req: ReturnType<typeof ann.client.api>) => req.header('Prefer', 'IdType="ImmutableId"');
    const [one, two] = [await sandbox.control.deliver('ann@delta.test', { from: 'x@outside.test', subject: 'read me', text: 'b' }), await sandbox.control.deliver('ann@delta.test', { from: 'x@outside.test', subject: 'drop me', text: 'b' })];
    const { deltaLink } = await round('/me/mailFolders/inbox/messages/delta?$select=subject,isRead,parentFolderId', 50);

    await immutable(ann.client.api(`/me/messages/${one.immutableId}`)).patch({ isRead: true });
    const read = await immutable(ann.client.api(deltaLink)).get();
    expect(read.value).toMatchObject([{ id: one.immutableId, subject: 'read me', isRead: true }]);

    await immutable(ann.client.api(`/me/messages/${one.immutableId}`)).delete();
    await immutable(ann.client.api(`/me/messages/${two.immutableId}/permanentDelete`)).post(null);
    const removed = await immutable(ann.client.api(read['@odata.deltaLink'])).get();
    expect(removed.value).toEqual([
      { '@odata.type': '#microsoft.graph.message', id: one.immutableId, '@removed': { reason: 'deleted' } },
      { '@odata.type': '#microsoft.graph.message', id: two.immutableId, '@removed': { reason: 'deleted' } },
    ]);
    const trash = await ann.client.api('/me/mailFolders/deleteditems').get();
    expect(await immutable(ann.client.api(`/me/messages/${one.immutableId}`)).select('parentFolderId').get()).toMatchObject({ parentFolderId: trash.id });
    expect(await immutable(ann.client.api(`/me/messages/${two.immutableId}`)).get().catch((e: unknown) => e)).toMatchObject({ statusCode: 404 });
  });
});
