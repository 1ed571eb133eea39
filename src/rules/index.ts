/** The pure thread-sync rules (RULES.md): no IO, no clock; facts in, decisions out. */
export { decideMessage } from './decide-message';
export { normalizeAddress, normalizeAddressList, normalizeSubject, displayName } from './addresses';
export { pickContact, compareIds } from './contacts';
export { linksToBreakOnCrmReply, inactiveLinkReason, closestReferencedLink } from './links';
export {
  checkOutgoingAttachments,
  GMAIL_MAX_TOTAL_BYTES,
  OUTLOOK_MAX_FILE_BYTES,
  OUTLOOK_EXTENSIONS,
  type AttachmentCheck,
  type AttachmentLimit,
} from './attachments';
export { checkSendQuota, sendTimesInWindow, SEND_WINDOW_MS, type SendQuotaCheck } from './send-quota';
export { REASONS, explainReason, isReasonCode, type ReasonCode, type ReasonInfo } from './reasons';
export type * from './types';
