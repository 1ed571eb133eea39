import type { Stack } from './stack';
import { waitFor } from './wait';

/** Waits until the decisions for a provider message exist, and returns them. */
export async function decisionsFor(stack: Stack, connectionId: string, providerMessageId: string) {
  return waitFor(async () => {
    const res = await stack.api('GET', `/v1/connections/${connectionId}/decisions?providerMessageId=${encodeURIComponent(providerMessageId)}`);
    return res.status === 200 && res.body.decisions.length > 0 ? (res.body.decisions as { ruleId: string; reason: string; outcome: string; messageId: string | null; notes: any[] }[]) : null;
  });
}

/** The messages of the (location, contact) conversation, through the API; [] when there is none. */
export async function conversationMessages(stack: Stack, locationId: string, contactId: string): Promise<any[]> {
  const list = await stack.api('GET', `/v1/locations/${locationId}/conversations?contactId=${contactId}`);
  const conversation = list.body.conversations[0];
  if (!conversation) return [];
  const messages: any[] = [];
  for (let cursor: string | null = null; ; ) {
    const res = await stack.api('GET', `/v1/conversations/${conversation.id}/messages?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    messages.push(...res.body.messages);
    cursor = res.body.nextCursor;
    if (!cursor) return messages;
  }
}
