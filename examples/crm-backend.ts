/**
 * What a CRM backend does with mailsync, through the typed client (@mailsync/client): set up its
 * directory, connect a user's mailbox, send from the CRM, read the conversation the reply lands in,
 * ask why each message synced, and follow the event feed.
 *
 * Against `npm run dev` (sandbox Gmail):
 *   MAILSYNC_API_KEY=dev_xxx npx tsx examples/crm-backend.ts
 * MAILSYNC_API_URL (default http://127.0.0.1:3000) and MAILSYNC_SANDBOX_URL (default http://127.0.0.1:4010)
 * point it elsewhere. A test runs the same walkthrough against the real stack (test/e2e/typed-client.test.ts).
 */
import { createMailsyncClient, type MailsyncClient } from '@mailsync/client';

export interface WalkthroughOptions {
  client: MailsyncClient;
  /** The Gmail sandbox (`npx mailsync-sandbox`), which stands in for Google: accounts, grants and outside mail. */
  sandboxUrl: string;
  /** Makes the ids and addresses unique, so the walkthrough can run more than once. */
  tag: string;
  log?: (line: string) => void;
  /** How long to wait for the reply to sync. */
  timeoutMs?: number;
}

export interface WalkthroughResult {
  connectionId: string;
  conversationId: string;
  messages: { direction: string; subject: string | null }[];
  decisions: { rule: string; reason: string }[];
  eventTypes: string[];
}

/** Throws the API's error shape as an Error naming the call, so a failed step says what went wrong. */
function ok<T>(step: string, res: { data?: T; error?: unknown; response: Response }): T {
  if (res.data === undefined) throw new Error(`${step}: HTTP ${res.response.status} ${JSON.stringify(res.error)}`);
  return res.data;
}

export async function crmBackendWalkthrough({ client, sandboxUrl, tag, log = () => {}, timeoutMs = 60_000 }: WalkthroughOptions): Promise<WalkthroughResult> {
  const locationId = `loc-${tag}`;
  const userId = `u-${tag}`;
  const owner = `ana-${tag}@agency.example`;
  const contact = `jo-${tag}@client.example`;

  // The CRM's directory: a location, a user in it, a contact assigned to the user.
  ok('put location', await client.PUT('/v1/locations/{id}', { params: { path: { id: locationId } }, body: { name: 'Main office' } }));
  ok('put user', await client.PUT('/v1/users/{id}', { params: { path: { id: userId } }, body: { email: owner, name: 'Ana', locationIds: [locationId] } }));
  ok('put contact', await client.PUT('/v1/locations/{locationId}/contacts/{id}', {
    params: { path: { locationId, id: 'c-1' } },
    body: { email: contact, name: 'Jo', assignedUserId: userId },
  }));

  // The user's mailbox and the refresh token the CRM's own OAuth flow would have got.
  const { refreshToken } = (await sandbox(sandboxUrl, 'accounts', { address: owner })) as { refreshToken: string };
  const connection = ok('connect', await client.POST('/v1/connections', { body: { locationId, userId, provider: 'gmail', refreshToken } }));
  log(`connected ${owner}: connection ${connection.id}`);

  // A send from the CRM goes out through the user's mailbox (R1); the key makes a retry safe.
  const sent = ok('send', await client.POST('/v1/connections/{id}/messages', {
    params: { path: { id: connection.id }, header: { 'idempotency-key': `quote-${tag}` } },
    body: { contactId: 'c-1', subject: 'Your quote', text: 'Here it is.' },
  }));
  log(`sent message ${sent.id} (${sent.sendStatus})`);

  // The contact replies from outside; the reply comes back into the same conversation.
  await sandbox(sandboxUrl, 'deliver', { to: owner, from: contact, subject: 'Re: Your quote', text: 'Looks good!' });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { conversations } = ok('conversations', await client.GET('/v1/locations/{locationId}/conversations', { params: { path: { locationId }, query: { contactId: 'c-1' } } }));
    const conversation = conversations[0];
    const messages = conversation
      ? ok('messages', await client.GET('/v1/conversations/{id}/messages', { params: { path: { id: conversation.id } } })).messages
      : [];
    if (conversation && messages.length >= 2) {
      const { decisions } = ok('decisions', await client.GET('/v1/connections/{id}/decisions', { params: { path: { id: connection.id } } }));
      const eventTypes = await connectionEvents(client, connection.id);
      log(`conversation ${conversation.id}: ${messages.map((m) => `${m.direction} "${m.subject}"`).join(', ')}`);
      return {
        connectionId: connection.id,
        conversationId: conversation.id,
        messages: messages.map((m) => ({ direction: m.direction, subject: m.subject ?? null })),
        decisions: decisions.map((d) => ({ rule: d.ruleId, reason: d.reason })),
        eventTypes,
      };
    }
    if (Date.now() > deadline) throw new Error(`the reply did not sync within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The event feed, followed with `after` from the start (a CRM keeps its last position instead), for one connection. */
async function connectionEvents(client: MailsyncClient, connectionId: string): Promise<string[]> {
  const types: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = ok('events', await client.GET('/v1/events', { params: { query: { limit: 500, ...(after ? { after } : {}) } } }));
    types.push(...page.events.filter((e) => e.connectionId === connectionId).map((e) => e.type));
    if (!page.next || page.events.length === 0) return types;
    after = page.next;
  }
}

async function sandbox(baseUrl: string, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(new URL(`sandbox/gmail/${path}`, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`sandbox ${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

if (require.main === module) {
  const apiKey = process.env.MAILSYNC_API_KEY;
  if (!apiKey) {
    process.stderr.write('MAILSYNC_API_KEY is required: the API key `npm run dev` printed\n');
    process.exit(2);
  }
  const client = createMailsyncClient({ baseUrl: process.env.MAILSYNC_API_URL ?? 'http://127.0.0.1:3000', apiKey });
  crmBackendWalkthrough({ client, sandboxUrl: process.env.MAILSYNC_SANDBOX_URL ?? 'http://127.0.0.1:4010', tag: Date.now().toString(36), log: (l) => process.stdout.write(`${l}\n`) }).then(
    (result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
