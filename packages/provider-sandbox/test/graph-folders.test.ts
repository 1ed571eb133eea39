import os from 'node:os';
import path from 'node:path';
import { type GraphError } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSandboxAccount, startGraphSandbox, type ConnectedAccount, type GraphSandbox } from '../src/microsoft';

let sandbox: GraphSandbox;
let ann: ConnectedAccount;
const address = 'ann@folders.test';

interface FolderJson {
  id: string;
  displayName: string;
  parentFolderId: string;
  childFolderCount: number;
  totalItemCount: number;
  isHidden: boolean;
}

beforeAll(async () => {
  sandbox = await startGraphSandbox({ certDir: path.join(os.tmpdir(), 'mailsync-graph-test-ca'), port: 0 });
  ann = await connectSandboxAccount(sandbox, address);
});

afterAll(async () => {
  await sandbox.close();
});

/** Every page of a folder list, following nextLinks as the client gets them. */
async function all(url: string): Promise<{ folders: FolderJson[]; pages: number }> {
  const folders: FolderJson[] = [];
  let pages = 0;
  for (let link: string | undefined = url; link; pages++) {
    const page: { value: FolderJson[]; '@odata.nextLink'?: string } = await ann.client.api(link).get();
    folders.push(...page.value);
    link = page['@odata.nextLink'];
  }
  return { folders, pages };
}

async function failure(p: Promise<unknown>): Promise<GraphError> {
  try {
    await p;
  } catch (err) {
    return err as GraphError;
  }
  throw new Error('expected the call to fail');
}

describe('mail folders', () => {
  it('creates folders and child folders; lists the top of the tree 10 a page, children on their own, hidden ones on request', async () => {
    const projects = (await ann.client.api('/me/mailFolders').post({ displayName: 'Projects' })) as FolderJson;
    expect(projects).toMatchObject({ displayName: 'Projects', childFolderCount: 0, totalItemCount: 0, isHidden: false });
    const inbox = (await ann.client.api('/me/mailFolders/inbox').get()) as FolderJson;
    const invoices = (await ann.client.api(`/me/mailFolders/${inbox.id}/childFolders`).post({ displayName: 'Invoices' })) as FolderJson;
    expect(invoices.parentFolderId).toBe(inbox.id);
    const q1 = (await ann.client.api(`/me/mailFolders/${invoices.id}/childFolders`).post({ displayName: 'Q1' })) as FolderJson;
    await ann.client.api('/me/mailFolders').post({ displayName: 'Secret', isHidden: true });
    for (const n of [1, 2, 3]) await ann.client.api('/me/mailFolders').post({ displayName: `More ${n}` });

    const top = await all('/me/mailFolders');
    expect(top.pages).toBe(2);
    expect(top.folders.map((f) => f.displayName)).toEqual(['Inbox', 'Sent Items', 'Drafts', 'Deleted Items', 'Archive', 'Junk Email', 'Outbox', 'Projects', 'More 1', 'More 2', 'More 3']);
    expect(new Set(top.folders.map((f) => f.parentFolderId)).size).toBe(1);
    expect(top.folders.find((f) => f.displayName === 'Inbox')?.childFolderCount).toBe(1);
    const withHidden = await all('/me/mailFolders?includeHiddenFolders=true&$top=50');
    expect(withHidden.folders.filter((f) => f.isHidden).map((f) => f.displayName)).toEqual(['Secret']);

    expect((await all(`/me/mailFolders/${inbox.id}/childFolders`)).folders.map((f) => [f.displayName, f.childFolderCount])).toEqual([['Invoices', 1]]);
    expect((await all(`/me/mailFolders/${invoices.id}/childFolders`)).folders.map((f) => f.id)).toEqual([q1.id]);
    expect((await all('/me/mailFolders/msgfolderroot/childFolders')).folders.map((f) => f.id)).toEqual(top.folders.map((f) => f.id));
  });

  it('refuses a second folder of the same name under one parent (409 ErrorFolderExists)', async () => {
    await ann.client.api('/me/mailFolders').post({ displayName: 'Twice' });
    const err = await failure(ann.client.api('/me/mailFolders').post({ displayName: 'twice' }));
    expect([err.statusCode, err.code]).toEqual([409, 'ErrorFolderExists']);
  });

  it('delivers as a rule files mail, moves keep the immutable id, and each folder’s delta sees its side of a move', async () => {
    const rules = (await ann.client.api('/me/mailFolders').post({ displayName: 'Filed by rule' })) as FolderJson;
    const filed = await sandbox.control.deliver(address, { from: 'x@outside.test', subject: 'filed', text: 'b', folder: rules.id });
    const listed = await ann.client.api(`/me/mailFolders/${rules.id}/messages`).header('Prefer', 'IdType="ImmutableId"').select('id,subject,parentFolderId').get();
    expect(listed.value).toEqual([expect.objectContaining({ id: filed.immutableId, subject: 'filed', parentFolderId: rules.id })]);

    const first = await ann.client.api(`/me/mailFolders/${rules.id}/messages/delta?$select=subject`).header('Prefer', 'IdType="ImmutableId"').get();
    const inboxFirst = await ann.client.api('/me/mailFolders/inbox/messages/delta?$select=subject').header('Prefer', 'IdType="ImmutableId"').get();
    const moved = await ann.client.api(`/me/messages/${filed.immutableId}/move`).header('Prefer', 'IdType="ImmutableId"').post({ destinationId: 'inbox' });
    expect(moved).toMatchObject({ id: filed.immutableId, subject: 'filed' });

    const out = await ann.client.api(first['@odata.deltaLink']).header('Prefer', 'IdType="ImmutableId"').get();
    expect(out.value).toEqual([{ '@odata.type': '#microsoft.graph.message', id: filed.immutableId, '@removed': { reason: 'deleted' } }]);
    const into = await ann.client.api(inboxFirst['@odata.deltaLink']).header('Prefer', 'IdType="ImmutableId"').get();
    expect(into.value.map((m: { id: string }) => m.id)).toContain(filed.immutableId);
  });

  it('a deleted folder moves under Deleted Items; well-known folders cannot be deleted', async () => {
    const old = (await ann.client.api('/me/mailFolders').post({ displayName: 'Old stuff' })) as FolderJson;
    await ann.client.api(`/me/mailFolders/${old.id}`).delete();
    const trash = (await ann.client.api('/me/mailFolders/deleteditems').get()) as FolderJson;
    expect((await all(`/me/mailFolders/${trash.id}/childFolders`)).folders.map((f) => f.id)).toEqual([old.id]);
    expect((await all('/me/mailFolders?$top=100')).folders.map((f) => f.id)).not.toContain(old.id);
    const err = await failure(ann.client.api('/me/mailFolders/inbox').delete());
    expect([err.statusCode, err.code]).toEqual([403, 'ErrorDeleteDistinguishedFolder']);
  });
});
