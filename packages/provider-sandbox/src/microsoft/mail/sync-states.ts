import { newOpaqueToken } from '../ids';
import type { DeltaRange } from './delta';

/** What a delta token stands for: the original query and where the round stands. */
export interface DeltaQuery {
  select: string[] | null;
  filter: string | null;
  expand: string[];
}

export type SyncState =
  | { kind: 'page'; folderId: string; range: DeltaRange; query: DeltaQuery }
  | { kind: 'round'; folderId: string; base: number; query: DeltaQuery };

/**
 * Exchange keeps delta sync states in a bounded cache and evicts them without notice; a token
 * whose state is gone answers 410 SyncStateNotFound. Kept in insertion order as an LRU.
 */
export class SyncStates {
  private states = new Map<string, SyncState>();
  private generation = 1;

  constructor(private readonly max: number) {}

  put(state: SyncState): string {
    const token = `${this.generation.toString(36)}.${newOpaqueToken()}`;
    this.states.set(token, state);
    while (this.states.size > this.max) {
      const oldest = this.states.keys().next().value;
      if (oldest === undefined) break;
      this.states.delete(oldest);
    }
    return token;
  }

  get(token: string): SyncState | undefined {
    const state = this.states.get(token);
    if (state) {
      this.states.delete(token);
      this.states.set(token, state);
    }
    return state;
  }

  /** Drops every state, as a cache eviction or mailbox move would. */
  evictAll(): void {
    this.states.clear();
    this.generation += 1;
  }

  /** For the 410 message: the generation a token was issued in, and the current one. */
  generations(token: string): { token: number; highest: number } {
    const issued = Number.parseInt(token.split('.')[0] ?? '', 36);
    return { token: Number.isFinite(issued) ? issued : 0, highest: this.generation };
  }
}
