import { GoogleApiError, invalidArgument } from '../http/google-errors';
import { isRecord, parseJsonBody, readBody } from '../http/io';
import type { SandboxState } from '../state';
import type { GmailCall } from './call';

/** maxResults as Gmail takes it: default 100, at most 500. */
export function maxResults(url: URL, fallback = 100): number {
  const raw = url.searchParams.get('maxResults');
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw invalidArgument(`Invalid value at 'max_results' (TYPE_UINT32), "${raw}"`);
  return Math.min(n === 0 ? fallback : n, 500);
}

export function encodePageToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodePageToken<T>(url: URL, check: (value: unknown) => value is T): T | undefined {
  const raw = url.searchParams.get('pageToken');
  if (!raw) return undefined;
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
    if (check(value)) return value;
  } catch {
    // fall through to the error below
  }
  throw invalidArgument('Invalid pageToken');
}

export function boolParam(url: URL, name: string): boolean {
  return url.searchParams.get(name) === 'true';
}

export async function jsonBody(state: SandboxState, call: GmailCall): Promise<Record<string, unknown>> {
  const body = parseJsonBody(await readBody(call.req, state.options.maxRequestBytes));
  if (!isRecord(body)) throw new GoogleApiError(400, 'Invalid JSON payload received.', 'parseError');
  return body;
}

export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Gmail message and thread ids are hex; anything else is refused before lookup. */
export function checkId(id: string): string {
  if (!/^[0-9a-f]{1,32}$/i.test(id)) throw invalidArgument('Invalid id value');
  return id;
}
