/** Gmail quota units per method (provider-facts 1.8): the pacer's price list. */
export const GMAIL_UNITS = {
  getProfile: 1,
  historyList: 2,
  messagesList: 5,
  messagesGet: 5,
  attachmentsGet: 5,
  messagesModify: 5,
  messagesSend: 100,
  watch: 100,
  stop: 50,
} as const;

/**
 * Per-user limit per project: 6,000 units per minute since May 2026 (provider-facts 1.8). Projects that
 * used the API before keep the earlier 15,000 and may say so with MAILSYNC_GMAIL_UNITS_PER_MINUTE.
 */
export const GMAIL_UNITS_PER_MINUTE = 6_000;
