/**
 * What a service refuses, in the product's words. Services throw these; `src/api/errors.ts` maps each
 * kind to its code and HTTP status. The message and details reach the CRM as they are.
 */
export type DomainErrorKind =
  | 'not_found'
  | 'unknown_reference'
  | 'invalid_input'
  | 'connection_exists'
  | 'mailbox_disconnected'
  | 'reauth_required'
  | 'idempotency_key_reused'
  | 'attachment_rejected'
  | 'grant_refused'
  | 'account_mismatch'
  | 'send_limit_reached'
  | 'send_rejected'
  | 'message_not_in_mailbox'
  | 'provider_unavailable'
  | 'temporal_unavailable'
  | 'broken_invariant';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** "connection conn_x does not exist", with the id under its name in the details. */
export class NotFound extends DomainError {
  constructor(what: string, id: string) {
    super('not_found', `${what} ${id} does not exist`, { [what]: id });
  }
}
