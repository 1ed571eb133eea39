import { describe, expect, test } from 'vitest';
import { DomainError, NotFound, type DomainErrorKind } from '../domain-errors';
import { fromDomainError } from './errors';

/** The answers the services gave when they built API errors themselves: these must not change. */
const EXPECTED: [DomainErrorKind, string, number][] = [
  ['not_found', 'NOT_FOUND', 404],
  ['unknown_reference', 'UNKNOWN_REFERENCE', 422],
  ['invalid_input', 'VALIDATION_FAILED', 400],
  ['connection_exists', 'CONNECTION_EXISTS', 409],
  ['mailbox_disconnected', 'MAILBOX_DISCONNECTED', 409],
  ['reauth_required', 'REAUTH_REQUIRED', 409],
  ['idempotency_key_reused', 'IDEMPOTENCY_KEY_REUSED', 422],
  ['attachment_rejected', 'ATTACHMENT_REJECTED', 422],
  ['grant_refused', 'INVALID_GRANT', 422],
  ['account_mismatch', 'ACCOUNT_MISMATCH', 422],
  ['send_limit_reached', 'SEND_LIMIT_REACHED', 429],
  ['send_rejected', 'SEND_REJECTED', 422],
  ['provider_unavailable', 'PROVIDER_UNAVAILABLE', 503],
  ['temporal_unavailable', 'TEMPORAL_UNAVAILABLE', 503],
  ['broken_invariant', 'INTERNAL', 500],
];

describe('domain errors as the API answers them', () => {
  test.each(EXPECTED)('%s → %s %i, message and details as thrown', (kind, code, status) => {
    const api = fromDomainError(new DomainError(kind, 'what went wrong', { field: 'x' }));
    expect({ code: api.code, status: api.status, message: api.message, details: api.details }).toStrictEqual({ code, status, message: 'what went wrong', details: { field: 'x' } });
  });

  test('NotFound names the missing thing and carries its id', () => {
    const api = fromDomainError(new NotFound('connection', 'conn_1'));
    expect({ code: api.code, status: api.status, message: api.message, details: api.details }).toStrictEqual({
      code: 'NOT_FOUND', status: 404, message: 'connection conn_1 does not exist', details: { connection: 'conn_1' },
    });
  });
});
