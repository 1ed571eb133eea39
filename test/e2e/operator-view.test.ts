import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailboxBackoffUntil, MailboxStatus } from '../../src/workflows/search-attributes';
import { decisionsFor } from '../helpers/crm-views';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox } from '../helpers/mailbox';
import { waitFor } from '../helpers/wait';

const fromPayload = (payload: Payload | null | undefined): unknown => (payload ? defaultPayloadConverter.fromPayload(payload) : undefined);

/** What an operator sees of a mailbox in the Temporal Web UI and CLI: search attributes, current details, activity summaries. */
describe('the mailbox as an operator finds it in Temporal', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    stack = await startGmailStack({ recordAs: 'operator-view' });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('a rate-limited mailbox carries MailboxBackoffUntil while it backs off, found by a list query; its details name the backoff and the error; both clear after', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'backoff' });
    const workflowId = `mailbox/gmail/${s.accountId}`;
    const handle = stack.client.workflow.getHandle(workflowId);
    const retryAt = Date.now() + 10_000;
    s.sandbox.injectFaults({ operation: 'history.list', count: 1, status: 429, retryAt: new Date(retryAt).toISOString() });
    const delivered = await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'During the rate limit', text: 'x' });

    const until = await waitFor(async () => (await handle.describe()).typedSearchAttributes.get(MailboxBackoffUntil));
    expect(until.getTime()).toBeGreaterThanOrEqual(retryAt - 1000);
    const state = await handle.query<{ status: string; backoffUntil: string }>('state');
    expect(state).toMatchObject({ status: 'backing_off', backoffUntil: until.toISOString() });

    // What `temporal workflow list --query` and the Web UI's filter run.
    const query = `WorkflowId = "${workflowId}" AND MailboxStatus = "backing_off" AND MailboxBackoffUntil > "${new Date(retryAt - 60_000).toISOString()}"`;
    const listed = await waitFor(async () => {
      const found = [];
      for await (const wf of stack.client.workflow.list({ query })) found.push(wf);
      return found.length ? found : null;
    });
    expect(listed.map((wf) => [wf.workflowId, wf.typedSearchAttributes.get(MailboxStatus), wf.typedSearchAttributes.get(MailboxBackoffUntil)?.toISOString()])).toEqual([
      [workflowId, 'backing_off', until.toISOString()],
    ]);

    const details = await waitFor(async () => {
      const meta = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
      return meta.currentDetails?.includes('backing_off') ? meta.currentDetails : null;
    });
    expect(details).toContain(`**gmail** ${s.owner} — **backing_off** until ${until.toISOString()}`);
    expect(details).toMatch(/- last error: RateLimited at \d{4}-\d\d-\d\dT[^:]+:\d\d:[\d.]+Z: .+/);

    // The backoff ends at Gmail's retry time: the message syncs, and the attribute is removed.
    expect(await waitFor(async () => ((await decisionsFor(stack, s.connectionId, delivered.messageId)).length ? decisionsFor(stack, s.connectionId, delivered.messageId) : null), { timeoutMs: 60_000 })).toMatchObject([
      { outcome: 'synced' },
    ]);
    await waitFor(async () => {
      const d = await handle.describe();
      return d.typedSearchAttributes.get(MailboxStatus) === 'active' && d.typedSearchAttributes.get(MailboxBackoffUntil) === undefined;
    });
    await waitFor(async () => {
      for await (const _wf of stack.client.workflow.list({ query })) return false;
      return true;
    });
    const after = await waitFor(async () => {
      const meta = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
      return meta.currentDetails?.includes('**active**') ? meta.currentDetails : null;
    });
    expect(after).toMatch(/- last page: \d+ messages, \d+ synced, \d+ skipped/);
    expect(after).toMatch(/- last error: RateLimited at /);
  });

  it("each activity carries a summary in the history's user metadata; a new run records the backoff-until-attribute patch", async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'summaries' });
    const delivered = await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'Summarised', text: 'x' });
    await waitFor(async () => (await decisionsFor(stack, s.connectionId, delivered.messageId)).length > 0);
    const history = await stack.client.workflow.getHandle(`mailbox/gmail/${s.accountId}`).fetchHistory();

    const scheduled = (history.events ?? [])
      .filter((e) => e.activityTaskScheduledEventAttributes)
      .map((e) => [e.activityTaskScheduledEventAttributes!.activityType!.name, fromPayload(e.userMetadata?.summary)]);
    expect(scheduled.length).toBeGreaterThanOrEqual(3);
    for (const [, summary] of scheduled) expect(summary).toEqual(expect.any(String));
    expect(scheduled).toContainEqual(['ensureWatch', 'renew the Gmail push watch']);
    // The first round is asked for by the connect, unless a push reached the workflow first.
    expect(scheduled).toContainEqual(['syncPage', expect.stringMatching(/^sync page 1 of round 1 \((requested|push)\): first sync: pin the Gmail history position, then read mail received since connect$/)]);
    expect(scheduled).toContainEqual(['syncPage', expect.stringMatching(/^sync page \d+ of round \d+ \((push|poll|requested)\): Gmail history from the stored cursor$/)]);

    const patches = (history.events ?? [])
      .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
      .map((e) => {
        const details = e.markerRecordedEventAttributes!.details!;
        return (fromPayload((details['patch-data'] ?? details.patch_data)!.payloads![0]) as { id: string }).id;
      });
    expect(patches).toContain('backoff-until-attribute');
  });
});
