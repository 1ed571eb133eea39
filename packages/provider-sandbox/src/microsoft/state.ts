import { Counters } from '../shared/counters';
import type { SandboxConfig } from './config';
import { Grants } from './entra/grants';
import { newGuid } from './ids';
import { Mailbox, type MailboxEvent } from './mail/mailbox';

/** Everything the sandbox knows: mailboxes by address and id, the identity grants and the counters. */
export class SandboxState {
  readonly grants: Grants;
  readonly counters = new Counters();
  private readonly byAddress = new Map<string, Mailbox>();
  private readonly byId = new Map<string, Mailbox>();
  private readonly listeners: ((event: MailboxEvent) => void)[] = [];

  constructor(readonly config: SandboxConfig) {
    this.grants = new Grants(config.refreshTokenMaxAgeMs);
  }

  onMailboxEvent(listener: (event: MailboxEvent) => void): void {
    this.listeners.push(listener);
  }

  ensureMailbox(address: string, displayName?: string): Mailbox {
    const existing = this.mailbox(address);
    if (existing) return existing;
    const name = displayName ?? address.split('@')[0] ?? address;
    const mailbox = new Mailbox(newGuid(), address.toLowerCase(), name, (e) => this.listeners.forEach((l) => l(e)), this.config.maxSyncStatesPerMailbox);
    this.byAddress.set(mailbox.address, mailbox);
    this.byId.set(mailbox.userId, mailbox);
    return mailbox;
  }

  /** By address (case-insensitive) or user id. */
  mailbox(ref: string): Mailbox | undefined {
    return this.byAddress.get(ref.toLowerCase()) ?? this.byId.get(ref.toLowerCase());
  }

  mailboxes(): Mailbox[] {
    return [...this.byAddress.values()];
  }
}
