import { graphTime } from '../ids';

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings and buffers as they are. */
  body?: unknown;
}

export interface RequestIds {
  requestId: string;
  clientRequestId: string;
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({ status, body, headers });

export const empty = (status: number, headers: Record<string, string> = {}): HttpResponse => ({ status, headers });

/** Graph's error envelope; clients branch on `code`. */
export function graphError(ids: RequestIds, status: number, code: string, message: string, headers: Record<string, string> = {}): HttpResponse {
  const innerError = { date: graphTime(Date.now()), 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId };
  return { status, headers, body: { error: { code, message, innerError } } };
}

/** Thrown by handlers to answer with a Graph error. */
export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (what = 'The specified object was not found in the store.'): GraphHttpError =>
  new GraphHttpError(404, 'ErrorItemNotFound', what);

export const badRequest = (message: string, code = 'ErrorInvalidRequest'): GraphHttpError => new GraphHttpError(400, code, message);
