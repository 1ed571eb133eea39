/**
 * The type of every `ApplicationFailure` mailsync raises, declared once: activities raise the
 * provider and database ones, the mailbox workflow branches on them and raises the send refusals,
 * and the API maps those to its error codes. No imports, so the workflow bundle can load it.
 */
export const FailureType = {
  RateLimited: 'RateLimited',
  AuthRevoked: 'AuthRevoked',
  CursorExpired: 'CursorExpired',
  SendLimit: 'SendLimit',
  /** A send whose provider call got no answer: it may have gone out; the workflow reconciles it later. */
  SendInDoubt: 'SendInDoubt',
  Permanent: 'ProviderPermanent',
  Transient: 'ProviderTransient',
  /**
   * Postgres is down or too slow: retried by the activity's policy until it answers. Also the name of
   * DatabaseUnavailableError, which is the type Temporal gives one thrown raw from an activity.
   */
  DatabaseUnavailable: 'DatabaseUnavailableError',
  /** A send the workflow failed on a failure that carried no type of its own. */
  SendFailed: 'SendFailed',
  /** The send update's validator refusals (rejected before history); the API answers with the same codes. */
  MailboxDisconnected: 'MAILBOX_DISCONNECTED',
  ReauthRequired: 'REAUTH_REQUIRED',
  SendLimitReached: 'SEND_LIMIT_REACHED',
} as const;

export type FailureType = (typeof FailureType)[keyof typeof FailureType];
