import type { ApiAnswer } from './api-client';

export type Phase = 'connect' | 'fault' | 'after';
export type ProviderName = 'gmail' | 'outlook';

/** One fresh mailbox of an iteration, connected through the API in its own location. */
export interface Box {
  provider: ProviderName;
  owner: string;
  contactEmail: string;
  contactId: string;
  locationId: string;
  userId: string;
  connectionId: string;
  accountId: string;
  refreshToken: string;
  /** Outlook: the CRM send that started the thread the contact replies in (R3). */
  threadSend: SendRecord | null;
}

/** A message from the contact, delivered to the provider mailbox by the sandbox. */
export interface InboundRecord {
  box: Box;
  rfcMessageId: string;
  phase: Phase;
  deliveredAt: number;
  /** Outlook replies sync only if their thread was started by a CRM send the provider accepted. */
  thread: SendRecord | null;
  /** Once delivered, the account's first sync had still not stored its baseline cursor. */
  beforeBaseline: boolean;
}

/** A send requested by the CRM, retried with the same Idempotency-Key after a 5xx or no answer. */
export interface SendRecord {
  box: Box;
  key: string;
  connectionId: string;
  phase: Phase;
  subject: string;
  requestedAt: number;
  /** Status of each attempt (0: no answer). */
  statuses: number[];
  last: ApiAnswer | null;
  settled: Promise<void>;
}

/** What one iteration did, for counting afterwards. */
export class Ledger {
  readonly inbound: InboundRecord[] = [];
  readonly sends: SendRecord[] = [];
  readonly notes: string[] = [];
  readonly boxes: Box[] = [];
  /** Milestones of the iteration, in ms since it started (where the time goes). */
  readonly marks: Record<string, number> = {};
  private readonly started = Date.now();

  note(line: string): void {
    this.notes.push(line);
  }

  mark(label: string): void {
    this.marks[label] = Date.now() - this.started;
  }
}
