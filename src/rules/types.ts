/**
 * Facts in, decisions out: the plain-data contract of the thread-sync rules (RULES.md R1–R22).
 *
 * An activity loads these facts from Postgres for one provider message seen in one account's
 * mailbox, calls `decideMessage`, stores each decision as a `sync_decisions` row (rule id, reason,
 * outcome, notes in `detail`) and applies the synced ones. Everything here is JSON-able: ISO
 * strings for times, arrays for collections, no classes, Map, Set or Date.
 */
import type { Provider } from '../provider';
import type { ReasonCode } from './reasons';

export type RuleId =
  | 'R1' | 'R2' | 'R3' | 'R4' | 'R5' | 'R6' | 'R7' | 'R8' | 'R9' | 'R10' | 'R11'
  | 'R12' | 'R13' | 'R14' | 'R15' | 'R16' | 'R17' | 'R18' | 'R19' | 'R20' | 'R21' | 'R22';

export type Direction = 'inbound' | 'outbound';

export interface AttachmentFacts {
  filename: string;
  /** Bytes. */
  size: number;
  contentType: string;
}

/** One provider message as read from the mailbox. Addresses may carry display names; the rules normalise them. */
export interface MessageFacts {
  providerMessageId: string;
  /** Gmail threadId or Outlook conversationId. */
  providerThreadId: string;
  rfcMessageId: string | null;
  inReplyTo: string | null;
  references: string[];
  subject: string;
  from: string;
  /** Header order matters (R7). */
  to: string[];
  cc: string[];
  /** Only present on the owner's own copy (Sent); inbound mail never shows Bcc. */
  bcc: string[];
  /** When the provider received or sent it (Gmail internalDate, Graph receivedDateTime). */
  receivedAt: string;
  /** Gmail SENT label, Outlook Sent Items, or From equal to the account address. */
  sentByOwner: boolean;
  /** The copy in the owner's Sent folder (Gmail SENT label, Outlook Sent Items). */
  inSent: boolean;
  /** The owner forwarded it (Fwd: with the original quoted or attached). */
  isForward: boolean;
  attachments: AttachmentFacts[];
}

/** A connection bound to the account: one CRM user in one location. */
export interface BindingFacts {
  connectionId: string;
  locationId: string;
  userId: string;
  connectedAt: string;
  bccAddress: string;
  status: 'active' | 'needs_reauth' | 'disconnected';
}

export interface ContactFacts {
  locationId: string;
  id: string;
  email: string;
  assignedUserId: string | null;
  createdAt: string;
}

export type LinkState = 'active' | 'stopped' | 'broken';

/** A thread link row: (account, provider thread) → conversation in one location. */
export interface LinkFacts {
  locationId: string;
  connectionId: string;
  conversationId: string;
  contactId: string;
  providerThreadId: string;
  state: LinkState;
  /** `replied_in_other_location` (R12), `account_updated` (R14), `disconnected` (R15); null when active. */
  reason: string | null;
  /** The rule that created the link; `R1` marks a thread started from the CRM (R11). */
  ruleId: RuleId;
}

/** A link reached through a stored message whose RFC Message-ID this message references (R21). */
export interface ReferencedLinkFacts extends LinkFacts {
  /** The referenced Message-ID, as it appears in In-Reply-To / References. */
  rfcMessageId: string;
}

/** A contact enrolled for a connection by an earlier BCC-address send (R18). */
export interface BccEnrolmentFacts {
  connectionId: string;
  contactId: string;
}

/** The CRM's own record of a send with the same RFC Message-ID (R22). */
export interface CrmRecordFacts {
  locationId: string;
  messageId: string;
  conversationId: string;
}

export interface DecisionInput {
  account: { address: string; provider: Provider };
  message: MessageFacts;
  bindings: BindingFacts[];
  /** Every contact in the bound locations whose email is among from / to / cc / bcc. */
  contactsByEmail: ContactFacts[];
  /** Links of this account's provider thread, any state (at most one per location). */
  threadLinks: LinkFacts[];
  /** Links of stored messages whose Message-ID is this message's In-Reply-To or References (R21). */
  referencedLinks: ReferencedLinkFacts[];
  bccEnrolledContacts: BccEnrolmentFacts[];
  crmRecord: CrmRecordFacts | null;
  /** Locations where this provider message is already stored (R22). */
  alreadyStored: { locationId: string }[];
}

export type Outcome = 'synced' | 'skipped' | 'matched';

export type DecisionTarget =
  | { kind: 'link'; conversationId: string; contactId: string }
  | { kind: 'contact'; contactId: string }
  | { kind: 'new_contact'; email: string; name?: string; assignedUserId: string }
  | { kind: 'crm_record'; messageId: string; conversationId: string };

/** A secondary rule that shaped a decision (R7 first To, R8 Cc, R9 earliest contact, R21 references). */
export interface DecisionNote {
  ruleId: RuleId;
  reason: ReasonCode;
}

/**
 * What happens to the message in one binding. `ruleId` / `reason` name the decisive rule
 * (`reason` is a key of `REASONS`, whose rule id always equals `ruleId`).
 * - `target`: where a synced message goes; `matched` points at the CRM's own record.
 * - `threadLink`: create, or keep, an active link of this provider thread in this location to the
 *   target's conversation; `ruleId` is the origin to store on the link row.
 * - `enrolContact`: from now on the target contact's inbound mail syncs for this connection (R18).
 */
export interface Decision {
  connectionId: string;
  locationId: string;
  ruleId: RuleId;
  reason: ReasonCode;
  outcome: Outcome;
  direction?: Direction;
  target?: DecisionTarget;
  threadLink?: { ruleId: RuleId };
  enrolContact?: true;
  notes?: DecisionNote[];
}
