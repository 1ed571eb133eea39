import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stateQuery } from '../../src/workflows/definitions';
import { mailboxWorkflowId } from '../../src/workflows/state';
import { conversationMessages } from '../helpers/crm-views';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox } from '../helpers/mailbox';
import { startOwnPostgres, type OwnPostgres } from '../helpers/own-postgres';
import { API_KEY } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

/** Every call while Postgres is down must come back within this; a hang fails the call at twice it. */
const ANSWER_WITHIN_MS = 3_000;

describe('Postgres outage', () => {
  let postgres: OwnPostgres;
  let stack: GmailStack;
  let down = false;
  beforeAll(async () => {
    postgres = await startOwnPostgres();
    stack = await startGmailStack({ database: await postgres.createDatabase('mailsync_outage') });
  });
  afterEach(async () => {
    // A test that failed mid-outage leaves the server up for the next one.
    if (down) await postgres.start();
    down = false;
  });
  afterAll(async () => {
    await stack?.close();
    await postgres?.destroy();
  });

  /** One call over real HTTP, aborted if it hangs; returns how long the answer took. */
  async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
    const started = Date.now();
    const res = await fetch(`${stack.apiUrl}${url}`, {
      method,
      headers: { authorization: `Bearer ${API_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(2 * ANSWER_WITHIN_MS),
    });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as unknown, ms: Date.now() - started };
  }

  it('answers 503 with Retry-After while Postgres is down, keeps retrying the sync, then stores every message delivered meanwhile exactly once', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'outage' });
    const first = await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'Before the outage', text: 'one' });
    await waitFor(async () => (await conversationMessages(stack, s.locationId, 'c-1')).length === 1);

    await postgres.stop();
    down = true;
    const calls: [string, string, unknown?, Record<string, string>?][] = [
      ['GET', `/v1/connections/${s.connectionId}`],
      ['GET', `/v1/locations/${s.locationId}/conversations?contactId=c-1`],
      ['GET', '/v1/events'],
      ['PUT', `/v1/locations/${s.locationId}`, { name: 'Renamed during the outage' }],
      ['POST', `/v1/connections/${s.connectionId}/messages`, { contactId: 'c-1', subject: 'Sent during the outage', text: 'hi' }, { 'idempotency-key': 'outage-send' }],
    ];
    for (const [method, url, body, headers] of calls) {
      const res = await call(method, url, body, headers);
      expect({ call: `${method} ${url}`, status: res.status, retryAfter: res.retryAfter, body: res.body }).toEqual({
        call: `${method} ${url}`,
        status: 503,
        retryAfter: '5',
        body: { error: { code: 'DATABASE_UNAVAILABLE', message: 'the database is unavailable; retry in a few seconds' } },
      });
      expect(res.ms).toBeLessThan(ANSWER_WITHIN_MS);
    }
    const notReady = await call('GET', '/readyz');
    expect(notReady).toMatchObject({ status: 503, body: { status: 'not_ready', checks: { postgres: 'unavailable: ECONNREFUSED', temporal: 'ok' } } });
    expect(notReady.ms).toBeLessThan(ANSWER_WITHIN_MS);

    const during = [];
    for (const n of [1, 2, 3]) {
      during.push(await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: `During the outage ${n}`, text: `message ${n}` }));
    }
    // The sync page meets the outage and is retried as a retryable failure, while the mailbox stays active.
    const handle = stack.client.workflow.getHandle(mailboxWorkflowId('gmail', s.accountId));
    const pending = await waitFor(
      async () => {
        const activity = (await handle.describe()).raw.pendingActivities?.find((a) => a.activityType?.name === 'syncPage');
        return activity && (activity.attempt ?? 0) >= 3 ? activity : null;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(pending.lastFailure?.applicationFailureInfo).toMatchObject({ type: 'DatabaseUnavailableError', nonRetryable: false });
    expect((await handle.query(stateQuery)).status).toBe('active');

    await postgres.start();
    down = false;
    await waitFor(async () => (await call('GET', '/readyz')).status === 200);

    const delivered = [first, ...during].map((m) => m.messageId).sort();
    const messages = await waitFor(async () => {
      const list = await conversationMessages(stack, s.locationId, 'c-1');
      return list.length >= delivered.length ? list : null;
    });
    expect(messages.map((m) => m.providerMessageId).sort()).toEqual(delivered);
    const rows = await stack.db.selectFrom('messages').select('provider_message_id').where('account_id', '=', s.accountId).where('provider_message_id', 'in', delivered).execute();
    expect(rows.map((r) => r.provider_message_id).sort()).toEqual(delivered);
    const decisions = await stack.db.selectFrom('sync_decisions').select('provider_message_id').where('account_id', '=', s.accountId).where('provider_message_id', 'in', delivered).execute();
    expect(decisions.map((d) => d.provider_message_id).sort()).toEqual(delivered);

    const view = await call('GET', `/v1/connections/${s.connectionId}`);
    expect(view).toMatchObject({ status: 200, body: { status: 'active', sync: { status: 'active', backoffUntil: null } } });
  });

  it('a sync page whose session Postgres ends mid-transaction (admin shutdown) is retried, not taken for a permanent provider error', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'cut-off' });
    const handle = stack.client.workflow.getHandle(mailboxWorkflowId('gmail', s.accountId));
    // Hold the account's cursor row, so the page's transaction waits on it with the message already fetched.
    const locker = new pg.Client({ connectionString: stack.testDb.url });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('select 1 from sync_state where account_id = $1 for update', [s.accountId]);
      const m = await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'Cut off', text: 'mid-page' });
      const waiting = await waitFor(async () => {
        const res = await locker.query<{ pid: number }>(
          "select pid from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()",
        );
        return res.rows[0]?.pid ?? null;
      });
      // What a fast shutdown sends every session it ends: FATAL 57P01.
      await locker.query('select pg_terminate_backend($1)', [waiting]);
      await locker.query('commit');

      const messages = await waitFor(async () => {
        const list = await conversationMessages(stack, s.locationId, 'c-1');
        return list.length > 0 ? list : null;
      }, { timeoutMs: 15_000 });
      expect(messages.map((x) => x.providerMessageId)).toEqual([m.messageId]);
      expect(await handle.query(stateQuery)).toMatchObject({ status: 'active', lastError: null, backoffUntil: null });
    } finally {
      await locker.end();
    }
  });
});
