import type { OutlookSettings } from '../../src/activities/deps';
import type { IngestSettings } from '../../src/activities/sync/memory-bound';
import { startGraphSandbox, type GraphSandbox, type GraphSandboxOptions } from '@mailsync/provider-sandbox/microsoft';
import { freePort } from '../../src/temporal/dev-server';
import type { MailboxTimers } from '../../src/workflows/state';
import { startStack, type Stack } from './stack';
import { waitForBaseline } from './gmail-stack';

export interface OutlookStack extends Stack {
  graph: GraphSandbox;
  apiUrl: string;
  /** What the worker and the API were given to reach the sandbox's Graph and Entra. */
  microsoft: OutlookSettings;
}

/**
 * The real stack against the Graph sandbox through the real Graph client and MSAL. Graph posts
 * notifications to an https URL; the sandbox's notification override points them at the test API.
 */
export async function startOutlookStack(
  opts: {
    timers?: Partial<MailboxTimers>;
    maxMessagesPerRun?: number;
    activityTimeoutMs?: number;
    inProcessWorker?: boolean;
    recordAs?: string;
    ingest?: IngestSettings;
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
  const stack = await startStack({
    microsoft,
    timers: { fallbackPollMs: 3_000, ...opts.timers },
    ...(opts.maxMessagesPerRun ? { maxMessagesPerRun: opts.maxMessagesPerRun } : {}),
    ...(opts.activityTimeoutMs ? { activityTimeoutMs: opts.activityTimeoutMs } : {}),
    ...(opts.inProcessWorker === false ? { inProcessWorker: false } : {}),
    ...(opts.recordAs ? { recordAs: opts.recordAs } : {}),
    ...(opts.ingest ? { ingest: opts.ingest } : {}),
  });
  await stack.app.listen({ host: '127.0.0.1', port });
  const close = stack.close;
  return Object.assign(stack, {
    graph,
    apiUrl,
    microsoft,
    async close() {
      await close();
      await graph.close();
    },
  });
}

/** Creates the sandbox mailbox and connects it; waits until the baseline delta links are stored. */
export async function connectOutlook(
  stack: OutlookStack,
  d: { locationId: string; userId: string; address: string; grant?: { refreshToken: string } },
): Promise<{ connectionId: string; accountId: string; refreshToken: string }> {
  const grant = d.grant ?? (await stack.graph.control.createAccount(d.address));
  const res = await stack.api('POST', '/v1/connections', { locationId: d.locationId, userId: d.userId, provider: 'outlook', refreshToken: grant.refreshToken });
  if (res.status !== 201 && res.status !== 200) throw new Error(`connect failed: ${res.status} ${JSON.stringify(res.body)}`);
  const accountId = res.body.accountId as string;
  await waitForBaseline(stack, accountId);
  return { connectionId: res.body.id, accountId, refreshToken: grant.refreshToken };
}
