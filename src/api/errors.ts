import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DatabaseUnavailableError } from '../db/errors';
import { DomainError, type DomainErrorKind } from '../domain-errors';

/** One catalogue: stable string codes and their HTTP status. */
export const ERROR_CODES = {
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  CONNECTION_EXISTS: 409,
  MAILBOX_DISCONNECTED: 409,
  REAUTH_REQUIRED: 409,
  MESSAGE_NOT_IN_MAILBOX: 409,
  ATTACHMENT_NOT_STORED: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  UNKNOWN_REFERENCE: 422,
  ACCOUNT_MISMATCH: 422,
  ATTACHMENT_REJECTED: 422,
  INVALID_GRANT: 422,
  SEND_LIMIT_REACHED: 429,
  SEND_REJECTED: 422,
  PROVIDER_UNAVAILABLE: 503,
  TEMPORAL_UNAVAILABLE: 503,
  DATABASE_UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
  get status(): number {
    return ERROR_CODES[this.code];
  }
}

/** Each refusal of a service, as the API names it. */
const DOMAIN_CODES: Record<DomainErrorKind, ErrorCode> = {
  not_found: 'NOT_FOUND',
  unknown_reference: 'UNKNOWN_REFERENCE',
  invalid_input: 'VALIDATION_FAILED',
  connection_exists: 'CONNECTION_EXISTS',
  mailbox_disconnected: 'MAILBOX_DISCONNECTED',
  reauth_required: 'REAUTH_REQUIRED',
  idempotency_key_reused: 'IDEMPOTENCY_KEY_REUSED',
  attachment_rejected: 'ATTACHMENT_REJECTED',
  grant_refused: 'INVALID_GRANT',
  account_mismatch: 'ACCOUNT_MISMATCH',
  send_limit_reached: 'SEND_LIMIT_REACHED',
  send_rejected: 'SEND_REJECTED',
  message_not_in_mailbox: 'MESSAGE_NOT_IN_MAILBOX',
  provider_unavailable: 'PROVIDER_UNAVAILABLE',
  temporal_unavailable: 'TEMPORAL_UNAVAILABLE',
  broken_invariant: 'INTERNAL',
};

export const fromDomainError = (err: DomainError) => new ApiError(DOMAIN_CODES[err.kind], err.message, err.details);

/** Seconds a client should wait before retrying while Postgres is down: about one pool connect timeout. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

export const notFound = (what: string, id: string) => new ApiError('NOT_FOUND', `${what} ${id} does not exist`, { [what]: id });

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  params?: { missingProperty?: string; additionalProperty?: string };
}

/** "body.locationId is required" — names the field, for a CRM engineer reading a 400. */
function describeValidation(err: FastifyError): { message: string; fields: string[] } {
  const issues = (err.validation ?? []) as ValidationIssue[];
  const context = err.validationContext ?? 'request';
  const parts = issues.map((issue) => {
    const base = (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    if (issue.params?.missingProperty) return { field: join(context, base, issue.params.missingProperty), text: 'is required' };
    if (issue.params?.additionalProperty)
      return { field: join(context, base, issue.params.additionalProperty), text: 'is not a known field' };
    return { field: join(context, base), text: issue.message ?? 'is invalid' };
  });
  const message = parts.map((p) => `${p.field} ${p.text}`).join('; ') || err.message;
  return { message, fields: parts.map((p) => p.field) };
}

const join = (...parts: string[]) => parts.filter(Boolean).join('.');

/**
 * Path parameters are read up to this length, so that every id reaches schema validation (at most 200
 * characters) and gets its 400 naming the parameter. A real server's request line is shorter anyway
 * (Node's 16 KiB header limit); over it, frameworkErrors answers.
 */
export const MAX_PATH_PARAM_LENGTH = 16 * 1024;

/** What Fastify refuses before a route is found (a path that does not decode, an over-long parameter), in the one wire shape. */
export function frameworkErrors(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const message =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? `params: a path parameter is over ${MAX_PATH_PARAM_LENGTH} characters`
      : err.code === 'FST_ERR_BAD_URL'
        ? 'params: the path is not valid percent-encoding'
        : err.message;
  void reply.code(400).send({ error: { code: 'VALIDATION_FAILED', message, details: { fields: ['params'] } } });
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url}` } });
  });
  app.setErrorHandler((thrown: FastifyError | ApiError | DomainError | DatabaseUnavailableError, request, reply) => {
    const err = thrown instanceof DomainError ? fromDomainError(thrown) : thrown;
    if (err instanceof DatabaseUnavailableError) {
      // Nothing is wrong with the request: the CRM should send it again, and can tell when from the header.
      request.log.warn({ reason: err.reason }, 'database unavailable');
      void reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      return reply.code(ERROR_CODES.DATABASE_UNAVAILABLE).send({ error: { code: 'DATABASE_UNAVAILABLE', message: 'the database is unavailable; retry in a few seconds' } });
    }
    if (err instanceof ApiError) {
      return reply.code(err.status).send({ error: { code: err.code, message: err.message, details: err.details } });
    }
    if (err.validation) {
      const { message, fields } = describeValidation(err);
      return reply.code(400).send({ error: { code: 'VALIDATION_FAILED', message, details: { fields } } });
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send({ error: { code: 'VALIDATION_FAILED', message: err.message } });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.code(500).send({ error: { code: 'INTERNAL', message: 'internal error' } });
  });
}
