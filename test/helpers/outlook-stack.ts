import type { OutlookSettings } from '../../src/activities/deps';
import type { FaultSpec } from '@mailsync/provider-sandbox';
import { startGraphSandbox, type GraphSandbox, type GraphSandboxOptions } from '@mailsync/provider-sandbox/microsoft';
import { freePort } from '../../src/temporal/dev-server';
import { commonStackOptions, withSandbox, type ProviderStack, type ProviderStackOptions } from './provider-stack';
import { startStack } from './stack';

type Control = GraphSandbox['control'];

/** One Graph sandbox mailbox; `control` is the whole sandbox's, for what is not bound here. */
export function graphSandboxMailbox(control: Control, address: string) {
  return {
    address,
    control,
    create: () => control.createAccount(address),
    /** Entra answers a new consent for an existing mailbox with a fresh grant. */
    grant: () => control.createAccount(address),
    deliver: (input: Parameters<Control['deliver']>[1]) => control.deliver(address, input),
    sendAsOwner: (input: Parameters<Control['sendAsOwner']>[1]) => control.sendAsOwner(address, input),
    /** The messages in the mailbox's Sent Items folder. */
    sent: () => control.listMessages(address, { folder: 'sentitems' }),
    /** Faults on this mailbox, armed all or nothing. */
    injectFaults: (...faults: Omit<FaultSpec, 'mailbox'>[]) => control.injectFaults(faults.map((f) => ({ ...f, mailbox: address }))),
    counters: () => control.counters(address),
    resetCounters: () => control.resetCounters(address),
    revoke: () => control.revoke(address),
  };
}

export type GraphSandboxMailbox = ReturnType<typeof graphSandboxMailbox>;

export interface OutlookStack extends ProviderStack<GraphSandboxMailbox> {
  graph: GraphSandbox;
  /** What the worker and the API were given to reach the sandbox's Graph and Entra. */
  microsoft: OutlookSettings;
}

/**
 * The real stack against the Graph sandbox through the real Graph client and MSAL. Graph posts
 * notifications to an https URL; the sandbox's notification override points them at the test API.
 */
export async function startOutlookStack(
  opts: ProviderStackOptions & {
    /** Sandbox behaviour for this stack, e.g. a short refresh-token age. */
    sandbox?: Omit<GraphSandboxOptions, 'notificationUrlOverride'>;
  } = {},
): Promise<OutlookStack> {
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const graph = await startGraphSandbox({ ...opts.sandbox, notificationUrlOverride: `${apiUrl}/webhooks/outlook` });
  const microsoft: OutlookSettings = {
    clientId: graph.clientId,
    clientSecret: graph.clientSecret,
    authority: graph.authority,
    graphBaseUrl: graph.graphBaseUrl,
    caPem: graph.caPem,
    notificationUrl: 'https://mailsync.example/webhooks/outlook',
    subscriptionMinutes: 4230,
  };
  const stack = await startStack({ microsoft, ...commonStackOptions(opts) });
  await stack.app.listen({ host: '127.0.0.1', port });
  const parts = {
    provider: 'outlook' as const,
    graph,
    apiUrl,
    microsoft,
    ownerDomain: 'outlook.test',
    sandboxMailbox: (owner: string) => graphSandboxMailbox(graph.control, owner),
  };
  return withSandbox(stack, parts, () => graph.close());
}
