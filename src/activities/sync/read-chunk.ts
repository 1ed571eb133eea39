import { storable } from '../../mime/storable';
import type { FetchedMessage, MailboxAdapter } from '../../providers/types';
import { FETCH_CONCURRENCY, type IngestSettings } from './memory-bound';
import type { MessageFailure } from './unreadable';
import { readFailure } from './unreadable-policy';

export interface ChunkRead {
  /** Oldest first; messages deleted in between are left out. */
  fetched: FetchedMessage[];
  /** Failures about one message: counted, and the other reads go on. */
  failures: MessageFailure[];
  /** A failure about the mailbox (rate limit, credentials, network): no read started after it. */
  mailboxError: unknown;
  /** Ids not read because the chunk's memory was spent (or reading stopped); the next chunk starts there. */
  rest: string[];
}

/** What a read message keeps in memory until its chunk is stored: attachment bytes and bodies (UTF-16 at worst). */
export function heldBytes(m: FetchedMessage): number {
  const p = m.parsed;
  const bodies = (p.text?.length ?? 0) + (p.html?.length ?? 0);
  return p.attachments.reduce((n, a) => n + (a.content?.length ?? 0), 0) + 2 * bodies + 4096;
}

/**
 * Reads messages in id order, FETCH_CONCURRENCY at a time, while what is held plus a full bound for
 * each read in flight fits FETCH_CONCURRENCY bounds: a chunk never holds more than that, however many
 * ids the page has. The first read always starts, so every chunk makes progress.
 */
export async function readChunk(mailbox: MailboxAdapter, ids: string[], settings: Pick<IngestSettings, 'maxInlineMessageBytes'>, now: () => number): Promise<ChunkRead> {
  const perRead = settings.maxInlineMessageBytes;
  const budget = FETCH_CONCURRENCY * perRead;
  const out: ChunkRead = { fetched: [], failures: [], mailboxError: null, rest: [] };
  let held = 0;
  let reserved = 0;
  let next = 0;
  let stopped = false;
  const worker = async () => {
    while (!stopped && next < ids.length) {
      if (held + reserved > 0 && held + reserved + perRead > budget) return;
      const id = ids[next++]!;
      reserved += perRead;
      try {
        const message = await mailbox.fetchMessage(id);
        if (message) {
          // Whatever a sender wrote, what is kept from it is something Postgres stores (mime/storable.ts).
          out.fetched.push({ ...message, parsed: storable(message.parsed) });
          held += heldBytes(message);
        }
      } catch (err) {
        const failure = readFailure(mailbox.provider, err, now());
        if (failure.scope === 'message') {
          out.failures.push({ providerMessageId: id, kind: failure.kind, reason: failure.reason, error: err });
        } else {
          out.mailboxError ??= err;
          stopped = true;
        }
      } finally {
        reserved -= perRead;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, ids.length) }, worker));
  out.rest = ids.slice(next);
  out.fetched.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  return out;
}
