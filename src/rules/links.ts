/** Thread links: which one speaks for a location, why an inactive one blocks, and R12's breaking. */
import type { ReasonCode } from './reasons';
import type { LinkFacts, MessageFacts, ReferencedLinkFacts } from './types';
import { compareIds } from './contacts';

export const REPLIED_IN_OTHER_LOCATION = 'replied_in_other_location';

/**
 * R12: when the user replies from the CRM in `locationId`, the thread's active links in every
 * other location become `broken`; the caller stores these rows. Sorted by location, then connection.
 */
export function linksToBreakOnCrmReply(links: readonly LinkFacts[], locationId: string): LinkFacts[] {
  return links
    .filter((link) => link.locationId !== locationId && link.state === 'active')
    .map((link) => ({ ...link, state: 'broken' as const, reason: REPLIED_IN_OTHER_LOCATION }))
    .sort((a, b) => compareIds(a.locationId, b.locationId) || compareIds(a.connectionId, b.connectionId));
}

/** Why a stopped or broken link receives nothing (R12, R14, R15); any other reason is still a dead link (R1). */
export function inactiveLinkReason(link: LinkFacts): ReasonCode {
  switch (link.reason) {
    case REPLIED_IN_OTHER_LOCATION:
      return 'replied_in_other_location';
    case 'account_updated':
      return 'account_updated';
    case 'disconnected':
      return 'link_disconnected';
    case 'user_left_location':
    case 'user_deleted':
      return 'link_stopped';
    default:
      return 'link_inactive';
  }
}

/**
 * R21: the link of the closest referenced ancestor in this location: In-Reply-To first, then
 * References from the newest (last) to the oldest. A tie on one Message-ID goes to the lowest conversation id.
 */
export function closestReferencedLink(
  message: MessageFacts,
  links: readonly ReferencedLinkFacts[],
  locationId: string,
): ReferencedLinkFacts | undefined {
  const here = links.filter((link) => link.locationId === locationId);
  for (const id of ancestorIds(message)) {
    const matches = here.filter((link) => sameMessageId(link.rfcMessageId, id));
    if (matches.length > 0) return matches.sort((a, b) => compareIds(a.conversationId, b.conversationId))[0];
  }
  return undefined;
}

/** In-Reply-To may name several parents (RFC 5322 §3.6.4); each counts as a closest ancestor. */
function ancestorIds(message: MessageFacts): string[] {
  const parents = (message.inReplyTo ?? '').split(/[\s,]+/).filter((id) => id !== '');
  return parents.concat([...message.references].reverse());
}

/** Message-IDs compare without their angle brackets and surrounding space. */
function sameMessageId(a: string, b: string): boolean {
  const bare = (id: string) => id.trim().replace(/^<|>$/g, '');
  return bare(a) === bare(b);
}
