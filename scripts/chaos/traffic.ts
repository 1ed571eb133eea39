import { randomBytes } from 'node:crypto';
import type { Box, Ledger, Phase, SendRecord } from './ledger';
import type { ChaosStack } from './stack';
import { WAITS } from './timers';

const RUN = randomBytes(3).toString('hex');
let sequence = 0;
const next = () => (++sequence).toString(36);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The contact writes to the mailbox owner. Gmail: a new message from an assigned contact (R2).
 * Outlook: a reply in the thread a CRM send started (R1, R3); without one, nothing is delivered.
 */
export async function deliverInbound(stack: ChaosStack, ledger: Ledger, box: Box, phase: Phase): Promise<void> {
  const n = next();
  const rfcMessageId = `<chaos.${RUN}.${n}@client.test>`;
  const text = `inbound ${n} (${phase})`;
  if (box.provider === 'gmail') {
    await stack.gmail.control.deliver(box.owner, { from: box.contactEmail, to: [box.owner], subject: `Chaos in ${n}`, text, messageId: rfcMessageId });
    ledger.inbound.push({ box, rfcMessageId, phase, deliveredAt: Date.now(), thread: null, beforeBaseline: await noBaselineYet(stack, box) });
    return;
  }
  const thread = box.threadSend;
  const starter = thread ? await sentMessageId(stack, thread) : null;
  if (!thread || !starter) {
    ledger.note(`${box.owner}: no CRM-started thread to reply in; reply ${n} not delivered`);
    return;
  }
  await stack.graph.control.deliver(box.owner, {
    from: box.contactEmail,
    to: [box.owner],
    subject: `RE: ${thread.subject}`,
    text,
    inReplyTo: starter,
    references: [starter],
    internetMessageId: rfcMessageId,
  });
  ledger.inbound.push({ box, rfcMessageId, phase, deliveredAt: Date.now(), thread, beforeBaseline: await noBaselineYet(stack, box) });
}

/**
 * True when the account's sync state still has no cursor: the first sync reads its baseline from the
 * provider after this message arrived. (False when Postgres cannot tell, e.g. while it is down.)
 */
async function noBaselineYet(stack: ChaosStack, box: Box): Promise<boolean> {
  try {
    const row = await stack.db.selectFrom('sync_state').select('cursor').where('account_id', '=', box.accountId).executeTakeFirst();
    return !row || Object.keys(row.cursor).length === 0;
  } catch {
    return false;
  }
}

/** Several inbound messages, a little apart so they land on different pushes and pages. */
export async function deliverMany(stack: ChaosStack, ledger: Ledger, box: Box, phase: Phase, count: number, gapMs = 100): Promise<void> {
  for (let i = 0; i < count; i++) {
    if (i > 0) await sleep(gapMs);
    await deliverInbound(stack, ledger, box, phase);
  }
}

/**
 * A CRM send with an Idempotency-Key. Returns at once; the record's `settled` resolves when the API
 * gave a final answer (200/201 or 4xx) or the retry deadline passed. A 202 (fate not known yet), a 5xx
 * or no answer is retried with the same key and body, as the API asks CRMs to do.
 */
export function crmSend(stack: ChaosStack, ledger: Ledger, box: Box, phase: Phase): SendRecord {
  const n = next();
  const record: SendRecord = {
    box, key: `chaos-${RUN}-${n}`, connectionId: box.connectionId, phase, subject: `Chaos out ${n}`, requestedAt: Date.now(), statuses: [], last: null, settled: Promise.resolve(),
  };
  const body = { contactId: box.contactId, subject: record.subject, text: `outbound ${n} (${phase})` };
  record.settled = (async () => {
    const deadline = Date.now() + WAITS.sendDeadlineMs;
    for (let attempt = 1; Date.now() < deadline; attempt++) {
      const answer = await stack.api.call('POST', `/v1/connections/${record.connectionId}/messages`, body, {
        headers: { 'idempotency-key': record.key },
        timeoutMs: Math.min(WAITS.sendAttemptTimeoutMs, Math.max(1000, deadline - Date.now())),
      });
      record.statuses.push(answer.status);
      record.last = answer;
      // 202: accepted but not settled yet (the provider's answer was lost); asked again with the same key.
      if (answer.status !== 202 && answer.status >= 200 && answer.status < 500) return;
      await sleep(Math.min(5_000, 500 * attempt));
    }
  })();
  ledger.sends.push(record);
  return record;
}

/** Outlook: the CRM starts the thread the contact will reply in, and waits for the API's final answer. */
export async function startThread(stack: ChaosStack, ledger: Ledger, box: Box, phase: Phase): Promise<void> {
  const send = crmSend(stack, ledger, box, phase);
  box.threadSend = send;
  await send.settled;
}

/** The Message-ID mailsync gave a CRM send: from its answer, or from the row its Idempotency-Key claimed. */
export async function sentMessageId(stack: ChaosStack, send: SendRecord): Promise<string | null> {
  const fromAnswer = send.last?.body?.rfcMessageId;
  if (typeof fromAnswer === 'string') return fromAnswer;
  const row = await stack.db
    .selectFrom('idempotency_keys as k')
    .innerJoin('messages as m', 'm.id', 'k.message_id')
    .select(['m.rfc_message_id'])
    .where('k.scope', '=', send.connectionId)
    .where('k.key', '=', send.key)
    .executeTakeFirst()
    .catch(() => undefined);
  return row?.rfc_message_id ?? null;
}

/** Message-IDs of the copies in the provider mailbox's Sent folder, one entry per copy. */
export async function providerSentIds(stack: ChaosStack, box: Box): Promise<string[]> {
  if (box.provider === 'gmail') return stack.gmail.control.listMessages(box.owner, { label: 'SENT' }).map((m) => m.rfcMessageId);
  return (await stack.graph.control.listMessages(box.owner, { folder: 'sentitems' })).map((m) => m.internetMessageId);
}
