import type { IngestSettings } from '../../src/activities/sync/memory-bound';
import { startGmailSandbox, type GmailSandbox } from '@mailsync/provider-sandbox/gmail';
import type { MailboxTimers } from '../../src/workflows/state';
import { startStack, type Stack } from './stack';
import type { TestDb } from './test-db';
import { waitFor } from './wait';

export interface GmailStack extends Stack {
  sandbox: GmailSandbox;
  apiUrl: string;
}

export const PUSH_AUDIENCE = 'mailsync-test';

/** The real stack against the Gmail sandbox through the real Google clients; push reaches the listening API. */
export async function startGmailStack(
  opts: {
    timers?: Partial<MailboxTimers>;
    maxMessagesPerRun?: number;
    activityTimeoutMs?: number;
    inProcessWorker?: boolean;
    recordAs?: string;
    pacing?: { unitsPerMinute: number; share: number };
    sandbox?: Parameters<typeof startGmailSandbox>[0];
    database?: TestDb;
    ingest?: IngestSettings;
  } = {},
): Promise<GmailStack> {
  const sandbox = await startGmailSandbox({ clientId: 'mailsync-test', clientSecret: 'mailsync-test-secret', pushAudience: PUSH_AUDIENCE, pushMinIntervalMs: 200, ...opts.sandbox });
  const stack = await startStack({
    google: {
      clientId: 'mailsync-test',
      clientSecret: 'mailsync-test-secret',
      apiRoot: sandbox.url,
      tokenUrl: sandbox.tokenUrl,
      authUrl: sandbox.authUrl,
      certsUrl: sandbox.certsUrl,
      pubsubTopic: 'projects/mailsync-test/topics/gmail',
    },
    timers: { fallbackPollMs: 3_000, ...opts.timers },
    ...(opts.maxMessagesPerRun ? { maxMessagesPerRun: opts.maxMessagesPerRun } : {}),
    ...(opts.activityTimeoutMs ? { activityTimeoutMs: opts.activityTimeoutMs } : {}),
    ...(opts.inProcessWorker === false ? { inProcessWorker: false } : {}),
    ...(opts.recordAs ? { recordAs: opts.recordAs } : {}),
    ...(opts.pacing ? { pacing: { gmail: opts.pacing } } : {}),
    ...(opts.database ? { database: opts.database } : {}),
    ...(opts.ingest ? { ingest: opts.ingest } : {}),
  });
  await stack.app.listen({ host: '127.0.0.1', port: 0 });
  const address = stack.app.server.address();
  const apiUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  sandbox.control.setPushEndpoint(`${apiUrl}/webhooks/gmail`, PUSH_AUDIENCE);
  const close = stack.close;
  return Object.assign(stack, {
    sandbox,
    apiUrl,
    async close() {
      await close();
      await sandbox.close();
    },
  });
}

export interface Directory {
  locationId: string;
  userId: string;
}

/** A location, a user in it, and contacts; ids carry a suffix so tests in one database stay apart. */
export async function seedDirectory(
  stack: Stack,
  d: { locationId: string; userId: string; userEmail: string; contacts?: { id: string; email: string; assignedUserId?: string | null; createdAt?: string }[] },
): Promise<void> {
  expectOk(await stack.api('PUT', `/v1/locations/${d.locationId}`, { name: `Location ${d.locationId}` }));
  const existing = await stack.db.selectFrom('user_locations').select('location_id').where('user_id', '=', d.userId).execute();
  const locationIds = [...new Set([...existing.map((r) => r.location_id), d.locationId])];
  expectOk(await stack.api('PUT', `/v1/users/${d.userId}`, { email: d.userEmail, name: `User ${d.userId}`, locationIds }));
  for (const c of d.contacts ?? []) {
    expectOk(
      await stack.api('PUT', `/v1/locations/${d.locationId}/contacts/${c.id}`, {
        email: c.email,
        name: `Contact ${c.id}`,
        assignedUserId: c.assignedUserId === undefined ? d.userId : c.assignedUserId,
        ...(c.createdAt ? { createdAt: c.createdAt } : {}),
      }),
    );
  }
}

function expectOk(res: { status: number; body: unknown }): void {
  if (res.status >= 300) throw new Error(`API answered ${res.status}: ${JSON.stringify(res.body)}`);
}

/** Creates the sandbox mailbox and connects it through POST /v1/connections; waits until the baseline is stored. */
export async function connectGmail(
  stack: GmailStack,
  d: Directory & { address: string; grant?: { refreshToken: string } },
): Promise<{ connectionId: string; accountId: string; refreshToken: string }> {
  const grant = d.grant ?? (await stack.sandbox.control.createAccount(d.address));
  const res = await stack.api('POST', '/v1/connections', { locationId: d.locationId, userId: d.userId, provider: 'gmail', refreshToken: grant.refreshToken });
  if (res.status !== 201 && res.status !== 200) throw new Error(`connect failed: ${res.status} ${JSON.stringify(res.body)}`);
  const accountId = res.body.accountId as string;
  await waitForBaseline(stack, accountId);
  return { connectionId: res.body.id, accountId, refreshToken: grant.refreshToken };
}

/** Waits until the account's first sync read everything since connect (R13) and follows the change stream. */
export async function waitForBaseline(stack: Stack, accountId: string): Promise<void> {
  await waitFor(async () => {
    const row = await stack.db.selectFrom('sync_state').select('cursor').where('account_id', '=', accountId).executeTakeFirst();
    return row && Object.keys(row.cursor).length > 0 && (row.cursor as Record<string, string>).mode !== 'reconcile';
  });
}

/** A location, a user, one contact `c-1` assigned to the user, and the user's sandbox Gmail connected there. */
export async function setupGmailMailbox(stack: GmailStack, tag: string) {
  const owner = uniqueAddress(`owner-${tag}`);
  const client = uniqueAddress(`client-${tag}`, 'client.test');
  const locationId = `loc-${tag}`;
  const userId = `user-${tag}`;
  await seedDirectory(stack, { locationId, userId, userEmail: owner, contacts: [{ id: 'c-1', email: client }] });
  return { owner, client, locationId, userId, ...(await connectGmail(stack, { locationId, userId, address: owner })) };
}

/** Waits until the decisions for a provider message exist, and returns them. */
export async function decisionsFor(stack: Stack, connectionId: string, providerMessageId: string) {
  return waitFor(async () => {
    const res = await stack.api('GET', `/v1/connections/${connectionId}/decisions?providerMessageId=${encodeURIComponent(providerMessageId)}`);
    return res.status === 200 && res.body.decisions.length > 0 ? (res.body.decisions as { ruleId: string; reason: string; outcome: string; messageId: string | null; notes: any[] }[]) : null;
  });
}

/** The messages of the (location, contact) conversation, through the API; [] when there is none. */
export async function conversationMessages(stack: Stack, locationId: string, contactId: string): Promise<any[]> {
  const list = await stack.api('GET', `/v1/locations/${locationId}/conversations?contactId=${contactId}`);
  const conversation = list.body.conversations[0];
  if (!conversation) return [];
  const res = await stack.api('GET', `/v1/conversations/${conversation.id}/messages`);
  return res.body.messages;
}

let counter = 0;
/** A unique mailbox address for one test. */
export const uniqueAddress = (name: string, domain = 'gmail.test') => `${name}-${Date.now().toString(36)}${(counter++).toString(36)}@${domain}`;
