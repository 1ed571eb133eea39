/**
 * A conversation's messages grouped into threads as R21 sees them: one thread per provider thread, and
 * provider threads joined where a message answers one already stored (In-Reply-To / References against
 * Message-IDs), as after a subject edit or an Outlook regrouping. Pure: the route loads, this groups.
 */
export interface ThreadMember {
  id: string;
  providerThreadId: string | null;
  rfcMessageId: string;
  inReplyTo: string | null;
  references: string[];
  messageAt: Date;
  subject: string;
}

export interface Thread {
  /** The provider thread id of the thread's first message (its Message-ID when it has none yet). */
  threadKey: string;
  /** Every provider thread id joined into this thread, first one first. */
  providerThreadIds: string[];
  subject: string;
  messageCount: number;
  firstMessageAt: Date;
  lastMessageAt: Date;
  /** Oldest first. */
  messageIds: string[];
}

/** Threads oldest first (by their first message), each message in exactly one. */
export function groupThreads(messages: ThreadMember[]): Thread[] {
  const sorted = [...messages].sort((a, b) => a.messageAt.getTime() - b.messageAt.getTime() || a.id.localeCompare(b.id));
  const parent = new Map<string, string>(sorted.map((m) => [m.id, m.id]));
  const root = (id: string): string => {
    let r = id;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(id, r);
    return r;
  };
  const join = (a: string, b: string) => {
    const [ra, rb] = [root(a), root(b)];
    if (ra !== rb) parent.set(rb, ra);
  };
  const byThread = new Map<string, string>();
  const byRfc = new Map<string, string>();
  for (const m of sorted) {
    if (m.providerThreadId) {
      const first = byThread.get(m.providerThreadId);
      if (first) join(first, m.id);
      else byThread.set(m.providerThreadId, m.id);
    }
    if (!byRfc.has(m.rfcMessageId)) byRfc.set(m.rfcMessageId, m.id);
  }
  for (const m of sorted) {
    for (const answered of [m.inReplyTo, ...m.references]) {
      const target = answered ? byRfc.get(answered) : undefined;
      if (target) join(target, m.id);
    }
  }
  const groups = new Map<string, ThreadMember[]>();
  for (const m of sorted) {
    const r = root(m.id);
    groups.set(r, [...(groups.get(r) ?? []), m]);
  }
  return [...groups.values()]
    .map((members) => {
      const first = members[0]!;
      const providerThreadIds = [...new Set(members.map((m) => m.providerThreadId).filter((t): t is string => t !== null))];
      return {
        threadKey: first.providerThreadId ?? providerThreadIds[0] ?? first.rfcMessageId,
        providerThreadIds,
        subject: first.subject,
        messageCount: members.length,
        firstMessageAt: first.messageAt,
        lastMessageAt: members[members.length - 1]!.messageAt,
        messageIds: members.map((m) => m.id),
      };
    })
    .sort((a, b) => a.firstMessageAt.getTime() - b.firstMessageAt.getTime() || a.messageIds[0]!.localeCompare(b.messageIds[0]!));
}
