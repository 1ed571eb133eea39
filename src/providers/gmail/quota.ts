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

/** Per-user limit: 15,000 units per minute (provider-facts 1.8). */
export const GMAIL_UNITS_PER_MINUTE = 15_000;
