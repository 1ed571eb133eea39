import type { FaultSpec } from '@mailsync/provider-sandbox';
import { startGmailSandbox, type GmailSandbox } from '@mailsync/provider-sandbox/gmail';
import { commonStackOptions, withSandbox, type ProviderStack, type ProviderStackOptions } from './provider-stack';
import { startStack } from './stack';
import type { TestDb } from './test-db';

type Control = GmailSandbox['control'];

/** One Gmail sandbox mailbox; `control` is the whole sandbox's, for what is not bound here. */
export function gmailSandboxMailbox(control: Control, address: string) {
  return {
    address,
    control,
    create: async () => control.createAccount(address),
    grant: async () => control.issueGrant(address),
    deliver: (input: Parameters<Control['deliver']>[1]) => control.deliver(address, input),
    /** Bytes as an outside mail server hands them over, unchecked (e.g. malformed MIME). */
    deliverRaw: (input: Parameters<Control['deliverRaw']>[1]) => control.deliverRaw(address, input),
    sendAsOwner: (input: Parameters<Control['sendAsOwner']>[1]) => control.sendAsOwner(address, input),
    /** The messages in the mailbox's SENT label. */
    sent: () => control.listMessages(address, { label: 'SENT' }),
    /** Faults on this mailbox, armed all or nothing. */
    injectFaults: (...faults: Omit<FaultSpec, 'mailbox'>[]) => control.injectFaults(faults.map((f) => ({ ...f, mailbox: address }))),
    counters: () => control.counters(address),
    revoke: () => control.revoke(address),
  };
}

export type GmailSandboxMailbox = ReturnType<typeof gmailSandboxMailbox>;

export interface GmailStack extends ProviderStack<GmailSandboxMailbox> {
  sandbox: GmailSandbox;
  /** The sandbox stops pushing to the API (Pub/Sub push off); mail keeps arriving. */
  pushOff(): void;
  /** The sandbox pushes to the API's /webhooks/gmail again (as it does from the start). */
  pushOn(): void;
}

export const PUSH_AUDIENCE = 'mailsync-test';

/** The real stack against the Gmail sandbox through the real Google clients; push reaches the listening API. */
export async function startGmailStack(
  opts: ProviderStackOptions & {
    pacing?: { unitsPerMinute: number; share: number };
    sandbox?: Parameters<typeof startGmailSandbox>[0];
    database?: TestDb;
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
      pushServiceAccount: sandbox.pushServiceAccount,
      pubsubTopic: 'projects/mailsync-test/topics/gmail',
    },
    ...commonStackOptions(opts),
    ...(opts.pacing ? { pacing: { gmail: opts.pacing } } : {}),
    ...(opts.database ? { database: opts.database } : {}),
  });
  await stack.app.listen({ host: '127.0.0.1', port: 0 });
  const address = stack.app.server.address();
  const apiUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const parts = {
    provider: 'gmail' as const,
    sandbox,
    apiUrl,
    ownerDomain: 'gmail.test',
    sandboxMailbox: (owner: string) => gmailSandboxMailbox(sandbox.control, owner),
    pushOff: () => sandbox.control.setPushEndpoint(null),
    pushOn: () => sandbox.control.setPushEndpoint(`${apiUrl}/webhooks/gmail`, PUSH_AUDIENCE),
  };
  parts.pushOn();
  return withSandbox(stack, parts, () => sandbox.close());
}
