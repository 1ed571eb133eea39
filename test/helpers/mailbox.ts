import type { Provider } from '../../src/provider';
import { uniqueAddress } from './addresses';
import { seedDirectory, type ContactSeed } from './directory';
import type { ProviderStack, SandboxMailbox } from './provider-stack';
import type { Stack } from './stack';
import { waitFor } from './wait';

export interface MailboxOptions {
  /** Names the ids and addresses: location `loc-<tag>`, user `user-<tag>`, owner `owner-<tag>-…@<provider's test domain>`. */
  tag: string;
}

/** The CRM's directory rows and the sandbox mailbox with its grant, not yet connected. */
export interface PreparedMailbox<M extends SandboxMailbox> {
  provider: Provider;
  owner: string;
  /** The first contact's address (one the CRM does not know when there are no contacts). */
  client: string;
  contacts: ContactSeed[];
  locationId: string;
  userId: string;
  /** The grant's refresh token, the one the CRM connects with. */
  refreshToken: string;
  /** The mailbox in the provider sandbox. */
  sandbox: M;
  /** POST /v1/connections (a fresh connection, 201); then waits for the baseline unless told not to. */
  connect(opts?: { waitForBaseline?: boolean }): Promise<Mailbox<M>>;
}

/** A mailbox connected through the API for the user in the location. */
export interface Mailbox<M extends SandboxMailbox> extends Omit<PreparedMailbox<M>, 'connect'> {
  connectionId: string;
  accountId: string;
  bccAddress: string;
  /** A CRM send: POST /v1/connections/:id/messages, with the Idempotency-Key when one is given. */
  send(body: Record<string, unknown>, idempotencyKey?: string): Promise<{ status: number; body: any }>;
}

/** The contacts (by default one contact `c-1` with an address of its own) and the options. */
export type MailboxArgs = [options: MailboxOptions] | [contacts: ContactSeed[], options: MailboxOptions];

/**
 * A location, a user in it, the contacts (assigned to the user unless they say otherwise), and the
 * user's sandbox mailbox with its grant: what a CRM has before it connects.
 */
export async function prepareMailbox<M extends SandboxMailbox>(stack: ProviderStack<M>, provider: Provider, ...args: MailboxArgs): Promise<PreparedMailbox<M>> {
  if (stack.provider !== provider) throw new Error(`a ${provider} mailbox needs a ${provider} stack, not a ${stack.provider} one`);
  const { tag } = args.length === 1 ? args[0] : args[1];
  const contacts = args.length === 1 ? [{ id: 'c-1', email: uniqueAddress(`client-${tag}`, 'client.test') }] : args[0];
  const owner = uniqueAddress(`owner-${tag}`, stack.ownerDomain);
  const client = contacts[0]?.email ?? uniqueAddress(`client-${tag}`, 'client.test');
  const locationId = `loc-${tag}`;
  const userId = `user-${tag}`;
  await seedDirectory(stack, { locationId, userId, userEmail: owner, contacts });
  const sandbox = stack.sandboxMailbox(owner);
  const { refreshToken } = await sandbox.create();
  const prepared = { provider, owner, client, contacts, locationId, userId, refreshToken, sandbox };
  return {
    ...prepared,
    async connect(opts = {}) {
      const res = await stack.api('POST', '/v1/connections', { locationId, userId, provider, refreshToken });
      if (res.status !== 201) throw new Error(`connect answered ${res.status}, not 201: ${JSON.stringify(res.body)}`);
      const connectionId = res.body.id as string;
      const accountId = res.body.accountId as string;
      if (opts.waitForBaseline !== false) await waitForBaseline(stack, accountId);
      return {
        ...prepared,
        connectionId,
        accountId,
        bccAddress: res.body.bccAddress as string,
        send: (body, idempotencyKey) => stack.api('POST', `/v1/connections/${connectionId}/messages`, body, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      };
    },
  };
}

/**
 * One mailbox for a test, for either provider: `prepareMailbox`, then connected through
 * POST /v1/connections, once its first sync has stored the baseline.
 */
export async function setupMailbox<M extends SandboxMailbox>(stack: ProviderStack<M>, provider: Provider, ...args: MailboxArgs): Promise<Mailbox<M>> {
  return (await prepareMailbox(stack, provider, ...args)).connect();
}

/**
 * The same user connects the same mailbox in another location (with the grant it connected with):
 * the location, the user's membership and the contacts, then POST /v1/connections. Returns the API's answer.
 */
export async function connectInLocation<M extends SandboxMailbox>(stack: ProviderStack<M>, mailbox: Mailbox<M>, d: { locationId: string; contacts?: ContactSeed[] }) {
  await seedDirectory(stack, { locationId: d.locationId, userId: mailbox.userId, userEmail: mailbox.owner, contacts: d.contacts ?? [] });
  return stack.api('POST', '/v1/connections', { locationId: d.locationId, userId: mailbox.userId, provider: mailbox.provider, refreshToken: mailbox.refreshToken });
}

/** Waits until the account's first sync read everything since connect (R13) and follows the change stream. */
export async function waitForBaseline(stack: Stack, accountId: string): Promise<void> {
  await waitFor(async () => {
    const row = await stack.db.selectFrom('sync_state').select('cursor').where('account_id', '=', accountId).executeTakeFirst();
    return row && Object.keys(row.cursor).length > 0 && (row.cursor as Record<string, string>).mode !== 'reconcile';
  });
}
