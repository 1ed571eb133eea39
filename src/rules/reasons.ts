/**
 * Reason codes: the stable vocabulary of the explain API. Each code belongs to exactly one rule;
 * `note` codes never decide alone, they explain a choice made inside a synced decision.
 */
import type { Outcome, RuleId } from './types';

export interface ReasonInfo {
  ruleId: RuleId;
  kind: Outcome | 'note';
  text: string;
}

export const REASONS = {
  linked_thread: { ruleId: 'R1', kind: 'synced', text: 'Part of a thread linked to this conversation; linked threads sync both ways.' },
  link_inactive: { ruleId: 'R1', kind: 'skipped', text: "The thread's link in this location is no longer active." },
  assigned_contact: { ruleId: 'R2', kind: 'synced', text: 'Sent by a contact assigned to this user; synced and the thread linked.' },
  contact_not_assigned: { ruleId: 'R2', kind: 'skipped', text: 'The sender is a contact here but is not assigned to this user.' },
  unknown_sender: { ruleId: 'R2', kind: 'skipped', text: 'The sender matches no contact in this location; no contact is created.' },
  thread_not_crm_initiated: { ruleId: 'R3', kind: 'skipped', text: 'Outlook syncs only threads started from the CRM, and this thread was not.' },
  linked_thread_sent: { ruleId: 'R4', kind: 'synced', text: 'Sent by the user from the mail client inside a linked thread.' },
  sent_to_assigned_contact: { ruleId: 'R5', kind: 'synced', text: 'Sent by the user from Gmail to a contact assigned to them; synced and the thread linked.' },
  recipient_not_assigned: { ruleId: 'R5', kind: 'skipped', text: 'Sent by the user to a contact that is not assigned to them.' },
  unknown_recipient: { ruleId: 'R5', kind: 'skipped', text: 'Sent by the user to addresses that match no contact in this location.' },
  forwarded_to_contact: { ruleId: 'R6', kind: 'synced', text: 'Forwarded by the user to a contact assigned to them; treated as a sent email.' },
  forwarded_in_linked_thread: { ruleId: 'R6', kind: 'synced', text: 'Forwarded by the user inside a linked thread; treated as a sent email of it.' },
  forward_recipient_not_assigned: { ruleId: 'R6', kind: 'skipped', text: 'Forwarded to a contact that is not assigned to the user.' },
  forward_recipient_unknown: { ruleId: 'R6', kind: 'skipped', text: 'Forwarded to addresses that match no contact in this location.' },
  first_to_recipient: { ruleId: 'R7', kind: 'note', text: 'Several To recipients are contacts; the first in header order owns the conversation.' },
  cc_bcc_never_own: { ruleId: 'R8', kind: 'skipped', text: 'The only matching contacts are in Cc/Bcc, and Cc/Bcc never own a conversation.' },
  user_in_cc_or_bcc: { ruleId: 'R8', kind: 'note', text: 'The user was only in Cc/Bcc; the message syncs under the sending contact.' },
  earliest_created_contact: { ruleId: 'R9', kind: 'note', text: 'Several contacts share this address; the earliest created one (then lowest id) was chosen.' },
  crm_send_other_location: { ruleId: 'R11', kind: 'skipped', text: 'Sent from the CRM in another location; it is recorded only there.' },
  thread_owned_by_other_location: { ruleId: 'R11', kind: 'skipped', text: 'The thread was started from the CRM in another location and syncs only there.' },
  replied_in_other_location: { ruleId: 'R12', kind: 'skipped', text: 'The user replied to this thread from the CRM in another location; it syncs only there now.' },
  before_connect: { ruleId: 'R13', kind: 'skipped', text: 'Received before the mailbox was connected; there is no backfill.' },
  account_updated: { ruleId: 'R14', kind: 'skipped', text: "The thread's link stopped when the connection moved to another mailbox." },
  disconnected: { ruleId: 'R15', kind: 'skipped', text: 'The connection is disconnected; new messages do not sync.' },
  link_stopped: { ruleId: 'R15', kind: 'skipped', text: "The thread's link stopped when the user was removed from this location." },
  link_disconnected: { ruleId: 'R15', kind: 'skipped', text: "The thread's link stopped when the connection was disconnected; reconnecting does not resume it." },
  attachment_limit: { ruleId: 'R17', kind: 'skipped', text: "An attachment breaks the provider's limits (Gmail 25 MB total; Outlook 3 MB each, listed file types)." },
  bcc_address_copy: { ruleId: 'R18', kind: 'synced', text: "The user sent it with this connection's BCC address; the first To recipient is tracked from now on." },
  bcc_no_recipient: { ruleId: 'R18', kind: 'skipped', text: 'Sent with the BCC address but with no To recipient to file it under.' },
  bcc_enrolled_contact: { ruleId: 'R18', kind: 'synced', text: 'From a contact tracked through an earlier BCC-address send.' },
  unreadable: { ruleId: 'R20', kind: 'skipped', text: 'The provider could not give a readable copy of this message after several attempts; it was skipped.' },
  matched_by_references: { ruleId: 'R21', kind: 'note', text: 'Linked through In-Reply-To / References to a message already in this conversation.' },
  crm_record_matched: { ruleId: 'R22', kind: 'matched', text: "The Sent copy of a CRM send; matched to the CRM's record, not stored again." },
  draft: { ruleId: 'R23', kind: 'skipped', text: 'A draft is not mail yet; it syncs once it is sent.' },
  junk: { ruleId: 'R23', kind: 'skipped', text: 'In Spam or Trash; it syncs only if it is moved back to the mailbox.' },
  duplicate: { ruleId: 'R22', kind: 'skipped', text: 'Already stored in this location.' },
  stored_by_other_connection: { ruleId: 'R22', kind: 'skipped', text: "Another connection of this location already takes it; it is stored once per location." },
} as const satisfies Record<string, ReasonInfo>;

export type ReasonCode = keyof typeof REASONS;

export function isReasonCode(code: string): code is ReasonCode {
  return Object.prototype.hasOwnProperty.call(REASONS, code);
}

/** The catalogue entry for a code stored in a decision row; undefined for codes this version does not know. */
export function explainReason(code: string): ReasonInfo | undefined {
  return isReasonCode(code) ? REASONS[code] : undefined;
}
