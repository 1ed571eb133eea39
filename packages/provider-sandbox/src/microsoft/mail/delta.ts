import type { FolderChange } from './model';

/**
 * Delta rounds over a folder's change numbers. A round covers the changes in (base, upto], where
 * upto is the folder's change number when the round started; pages walk that range by change
 * number. A message changed again mid-round moves past upto and shows up in the next round, so
 * nothing is lost and nothing needs a snapshot.
 */

export interface DeltaRange {
  base: number;
  upto: number;
  /** Change number of the last item already returned in this round. */
  after: number;
}

export interface DeltaItem {
  key: string;
  kind: 'upsert' | 'removed';
  seq: number;
}

export interface DeltaPage {
  items: DeltaItem[];
  /** Where the next page starts; null when the round is complete. */
  next: DeltaRange | null;
}

export function deltaPage(
  changes: ReadonlyMap<string, FolderChange>,
  range: DeltaRange,
  pageSize: number,
  include: (key: string) => boolean = () => true,
): DeltaPage {
  const pending: DeltaItem[] = [];
  for (const [key, change] of changes) {
    if (change.seq <= range.after || change.seq <= range.base || change.seq > range.upto) continue;
    // The first round enumerates what is in the folder; there is nothing to remove yet.
    if (change.kind === 'removed' && range.base === 0) continue;
    pending.push({ key, kind: change.kind, seq: change.seq });
  }
  pending.sort((a, b) => a.seq - b.seq);
  const items: DeltaItem[] = [];
  let after = range.after;
  for (const item of pending) {
    if (items.length >= pageSize) return { items, next: { ...range, after } };
    after = item.seq;
    if (item.kind === 'removed' || include(item.key)) items.push(item);
  }
  return { items, next: null };
}
