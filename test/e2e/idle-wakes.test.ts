import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateQuery } from '../../src/workflows/definitions';
import { decisionsFor } from '../helpers/crm-views';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox } from '../helpers/mailbox';
import { waitFor } from '../helpers/wait';

const FALLBACK_POLL_MS = 1_000;
/** The idle poll: long against every wait below but the unannounced-mail one, so what syncs sooner came by push or by the fallback poll. */
const IDLE_POLL_MS = 40_000;

describe('Gmail: an idle mailbox polls hours apart while push works, and at the fallback rate once pushes stop', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    stack = await startGmailStack({ timers: { fallbackPollMs: FALLBACK_POLL_MS, idlePollMs: IDLE_POLL_MS, driftAuditMs: 3_600_000 } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('a push brings mail in at once; mail no push announced is found by the idle poll and puts the mailbox back on the fallback poll until a push arrives', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'idle' });
    const handle = stack.client.workflow.getHandle(`mailbox/gmail/${s.accountId}`);
    const pollGap = async () => {
      const state = await handle.query(stateQuery);
      return { pushHealthy: state.pushHealthy, gapMs: Date.parse(state.nextPollAt!) - Date.parse(state.lastSyncAt!) };
    };
    // Connected and watched: after the first rounds, the next poll is an idle poll away.
    await waitFor(async () => (await pollGap()).gapMs >= IDLE_POLL_MS);

    // Push works: the message syncs by push, well inside the idle poll.
    const pushed = await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'By push', text: 'hi' });
    expect(await decisionsFor(stack, s.connectionId, pushed.messageId)).toMatchObject([{ ruleId: 'R2', outcome: 'synced' }]);
    expect(await pollGap()).toMatchObject({ pushHealthy: true });
    expect((await pollGap()).gapMs).toBeGreaterThanOrEqual(IDLE_POLL_MS);

    // Pushes stop: the next message waits for the idle poll, which finds it unannounced.
    stack.pushOff();
    const unannounced = await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'Unannounced', text: 'hi' });
    await waitFor(async () => (await pollGap()).pushHealthy === false, { timeoutMs: IDLE_POLL_MS * 2 });
    expect(await decisionsFor(stack, s.connectionId, unannounced.messageId)).toMatchObject([{ ruleId: 'R2', outcome: 'synced' }]);
    expect((await pollGap()).gapMs).toBe(FALLBACK_POLL_MS);

    // Polled at the fallback rate now: the next message syncs without any push, long before another idle poll.
    const polled = await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'By poll', text: 'hi' });
    expect(await decisionsFor(stack, s.connectionId, polled.messageId)).toMatchObject([{ ruleId: 'R2', outcome: 'synced' }]);
    expect(await pollGap()).toEqual({ pushHealthy: false, gapMs: FALLBACK_POLL_MS });

    // Pushes come back: the first one restores trust, and the idle poll with it.
    stack.pushOn();
    const again = await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'Push again', text: 'hi' });
    expect(await decisionsFor(stack, s.connectionId, again.messageId)).toMatchObject([{ ruleId: 'R2', outcome: 'synced' }]);
    await waitFor(async () => {
      const gap = await pollGap();
      return gap.pushHealthy === true && gap.gapMs >= IDLE_POLL_MS;
    });
    const stored = await stack.db.selectFrom('messages').select('subject').where('account_id', '=', s.accountId).orderBy('created_at').execute();
    expect(stored.map((m) => m.subject)).toEqual(['By push', 'Unannounced', 'By poll', 'Push again']);
  });
});
