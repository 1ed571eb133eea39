import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Registered on the Temporal server at start; operators find mailboxes by these in the Web UI. */
export const MailboxProvider = defineSearchAttributeKey('MailboxProvider', SearchAttributeType.KEYWORD);
export const MailboxAddress = defineSearchAttributeKey('MailboxAddress', SearchAttributeType.KEYWORD);
export const MailboxStatus = defineSearchAttributeKey('MailboxStatus', SearchAttributeType.KEYWORD);
export const MailboxLocations = defineSearchAttributeKey('MailboxLocations', SearchAttributeType.KEYWORD_LIST);
/** While the mailbox backs off (rate limit, provider or database failure): when it tries again. Absent otherwise. */
export const MailboxBackoffUntil = defineSearchAttributeKey('MailboxBackoffUntil', SearchAttributeType.DATETIME);

export const MAILBOX_SEARCH_ATTRIBUTES = [MailboxProvider, MailboxAddress, MailboxStatus, MailboxLocations, MailboxBackoffUntil] as const;
