import type { Box, Ledger } from './ledger';
import type { ChaosStack } from './stack';
import { providerSentIds, sentMessageId } from './traffic';

/** What the report keeps per iteration to trace a finding: provider calls per mailbox, and each send's story. */
export interface Diagnostics {
  mailboxes: { provider: string; owner: string; connectionId: string; status: string | null; calls: Record<string, number>; faultsInjected: number }[];
  sends: { key: string; phase: string; httpStatuses: number[]; rfcMessageId: string | null; apiStatus: string | null; sendAttempts: number | null; sendError: string | null; providerCopies: number }[];
}

export async function collectDiagnostics(stack: ChaosStack, ledger: Ledger): Promise<Diagnostics> {
  const mailboxes = [];
  for (const box of ledger.boxes) {
    const counters = await providerCounters(stack, box);
    const view = await stack.api.call('GET', `/v1/connections/${box.connectionId}`);
    mailboxes.push({ provider: box.provider, owner: box.owner, connectionId: box.connectionId, status: view.body?.sync?.status ?? null, ...counters });
  }
  const sent = new Map<Box, string[]>();
  for (const box of ledger.boxes) sent.set(box, await providerSentIds(stack, box));
  const sends = [];
  for (const send of ledger.sends) {
    const rfcMessageId = await sentMessageId(stack, send);
    const row = rfcMessageId
      ? await stack.db.selectFrom('messages').select(['send_status', 'send_attempts', 'send_error']).where('rfc_message_id', '=', rfcMessageId).where('source', '=', 'crm').executeTakeFirst()
      : undefined;
    sends.push({
      key: send.key,
      phase: send.phase,
      httpStatuses: send.statuses,
      rfcMessageId,
      apiStatus: row?.send_status ?? null,
      sendAttempts: row?.send_attempts ?? null,
      sendError: row?.send_error ?? null,
      providerCopies: rfcMessageId ? (sent.get(send.box) ?? []).filter((id) => id === rfcMessageId).length : 0,
    });
  }
  return { mailboxes, sends };
}

async function providerCounters(stack: ChaosStack, box: Box): Promise<{ calls: Record<string, number>; faultsInjected: number }> {
  if (box.provider === 'gmail') {
    const c = stack.gmail.control.counters(box.owner);
    return { calls: c.calls, faultsInjected: c.faultsInjected };
  }
  const c = await stack.graph.control.counters(box.owner);
  return { calls: c.calls, faultsInjected: c.faultsInjected };
}
