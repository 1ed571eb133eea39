import type { Box, InboundRecord, Ledger, Phase } from './ledger';
import type { ChaosStack } from './stack';
import { providerSentIds, sentMessageId } from './traffic';

/** The counts of one iteration; a fault's row is their sum over its iterations. */
export interface Counts {
  /** Inbound messages delivered after connect that the rules say must sync. */
  expected: number;
  /** Of those, stored at least once (rows in `messages`). */
  stored: number;
  lost: number;
  /** Rows beyond the first for one Message-ID in one location: a provider message stored twice, or a copy of a CRM send stored beside it. */
  duplicated: number;
  /** Rows in the iteration's locations that are neither an expected inbound message nor a CRM send. */
  unexpected: number;
  lostByPhase: Record<Phase, number>;
  /** Of the lost, those delivered before the account's first sync had stored its baseline cursor. */
  lostBeforeBaseline: number;
  sendsRequested: number;
  /** CRM sends with at least one copy in the provider mailbox's Sent folder. */
  sendsAccepted: number;
  /** CRM sends with more than one copy there. */
  doubled: number;
  /** CRM sends the API shows as `failed` while the provider has them. */
  falseFailures: number;
  /** CRM sends the API shows as `failed` that the provider does not have (refused as the rules say, e.g. during re-auth). */
  sendsFailed: number;
  /** CRM sends still `pending` or `unknown` (or with no row) at the end. */
  sendsPending: number;
  /** API or worker processes that exited on their own during the iteration (restarted by the supervisor). */
  crashes: number;
}

export const zeroCounts = (): Counts => ({
  expected: 0, stored: 0, lost: 0, duplicated: 0, unexpected: 0, lostByPhase: { connect: 0, fault: 0, after: 0 }, lostBeforeBaseline: 0,
  sendsRequested: 0, sendsAccepted: 0, doubled: 0, falseFailures: 0, sendsFailed: 0, sendsPending: 0, crashes: 0,
});

export function addCounts(a: Counts, b: Counts): Counts {
  const sum = zeroCounts();
  for (const key of Object.keys(sum) as (keyof Counts)[]) {
    if (key === 'lostByPhase') continue;
    sum[key] = a[key] + b[key];
  }
  for (const phase of Object.keys(sum.lostByPhase) as Phase[]) sum.lostByPhase[phase] = a.lostByPhase[phase] + b.lostByPhase[phase];
  return sum;
}

/** Rows per (location, Message-ID) in the iteration's locations. */
export async function rowsByMessageId(stack: ChaosStack, boxes: Box[]): Promise<Map<string, number>> {
  const locations = [...new Set(boxes.map((b) => b.locationId))];
  if (locations.length === 0) return new Map();
  const rows = await stack.db
    .selectFrom('messages')
    .select(['location_id', 'rfc_message_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('location_id', 'in', locations)
    .groupBy(['location_id', 'rfc_message_id'])
    .execute();
  return new Map(rows.map((r) => [`${r.location_id} ${r.rfc_message_id}`, Number(r.n)]));
}

const rowKey = (box: Box, rfcMessageId: string) => `${box.locationId} ${rfcMessageId}`;

/** Which inbound messages must sync: all Gmail ones; Outlook replies whose thread starter reached the provider. */
export async function expectedInbound(stack: ChaosStack, ledger: Ledger, sentCopies: Map<Box, Map<string, number>>): Promise<InboundRecord[]> {
  const expected: InboundRecord[] = [];
  for (const record of ledger.inbound) {
    if (!record.thread) {
      expected.push(record);
      continue;
    }
    const starter = await sentMessageId(stack, record.thread);
    if (starter && (sentCopies.get(record.box)?.get(starter) ?? 0) > 0) expected.push(record);
  }
  return expected;
}

export async function sentCopiesOf(stack: ChaosStack, boxes: Box[]): Promise<Map<Box, Map<string, number>>> {
  const result = new Map<Box, Map<string, number>>();
  for (const box of boxes) {
    const copies = new Map<string, number>();
    for (const id of await providerSentIds(stack, box)) copies.set(id, (copies.get(id) ?? 0) + 1);
    result.set(box, copies);
  }
  return result;
}

/** Counts one iteration once it is quiet: Postgres rows, provider Sent folders, and what the API shows. */
export async function measure(stack: ChaosStack, ledger: Ledger): Promise<Counts> {
  const counts = zeroCounts();
  const copies = await sentCopiesOf(stack, ledger.boxes);
  const rows = await rowsByMessageId(stack, ledger.boxes);
  const expected = await expectedInbound(stack, ledger, copies);
  const known = new Set<string>();
  counts.expected = expected.length;
  for (const record of expected) {
    known.add(rowKey(record.box, record.rfcMessageId));
    if ((rows.get(rowKey(record.box, record.rfcMessageId)) ?? 0) > 0) counts.stored += 1;
    else {
      counts.lostByPhase[record.phase] += 1;
      if (record.beforeBaseline) counts.lostBeforeBaseline += 1;
    }
  }
  counts.lost = counts.expected - counts.stored;
  for (const record of ledger.inbound) known.add(rowKey(record.box, record.rfcMessageId));

  const statuses = await apiSendStatuses(stack, ledger.boxes);
  counts.sendsRequested = ledger.sends.length;
  for (const send of ledger.sends) {
    const id = await sentMessageId(stack, send);
    const n = id ? (copies.get(send.box)?.get(id) ?? 0) : 0;
    if (id) known.add(rowKey(send.box, id));
    if (n > 0) counts.sendsAccepted += 1;
    if (n > 1) counts.doubled += 1;
    const status = id ? statuses.get(id) : undefined;
    if (status === 'failed' && n > 0) counts.falseFailures += 1;
    else if (status === 'failed') counts.sendsFailed += 1;
    else if (status !== 'sent') counts.sendsPending += 1;
  }
  for (const [key, n] of rows) {
    counts.duplicated += n - 1;
    if (!known.has(key)) counts.unexpected += n;
  }
  return counts;
}

/** sendStatus of every message in the iteration's conversations, as GET /v1/conversations/:id/messages shows it. */
async function apiSendStatuses(stack: ChaosStack, boxes: Box[]): Promise<Map<string, string | null>> {
  const statuses = new Map<string, string | null>();
  for (const box of boxes) {
    const list = await stack.api.call('GET', `/v1/locations/${box.locationId}/conversations?contactId=${box.contactId}`);
    for (const conversation of list.body?.conversations ?? []) {
      const messages = await stack.api.call('GET', `/v1/conversations/${conversation.id}/messages`);
      for (const m of messages.body?.messages ?? []) if (m.source === 'crm') statuses.set(m.rfcMessageId, m.sendStatus);
    }
  }
  return statuses;
}
