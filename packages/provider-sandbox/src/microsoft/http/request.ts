import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { newGuid } from '../ids';
import { parseQuery } from './query';
import { GraphHttpError, type RequestIds } from './respond';

export interface Req {
  method: string;
  /** Decoded path segments, with OData key syntax `mailFolders('inbox')` turned into `mailFolders/inbox`. */
  segments: string[];
  pathname: string;
  query: Map<string, string>;
  headers: IncomingHttpHeaders;
  body: Buffer;
  ids: RequestIds;
}

export const header = (req: Req, name: string): string | undefined => {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
};

export function splitSegments(pathname: string): string[] {
  const out: string[] = [];
  for (const raw of pathname.split('/')) {
    if (!raw) continue;
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      seg = raw;
    }
    const key = /^([^(]+)\('?([^')]*)'?\)$/.exec(seg);
    if (key) out.push(key[1] ?? '', key[2] ?? '');
    else out.push(seg);
  }
  return out;
}

export class BodyTooLarge extends Error {}

/** Reads the whole body; past `limit` it keeps draining (so the client sees the answer) and then fails. */
export function readBody(msg: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    msg.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    msg.on('end', () => (size > limit ? reject(new BodyTooLarge()) : resolve(Buffer.concat(chunks))));
    msg.on('error', reject);
  });
}

export function toReq(msg: IncomingMessage, body: Buffer): Req {
  const url = new URL(msg.url ?? '/', 'https://sandbox.invalid');
  const clientRequestId = msg.headers['client-request-id'];
  return {
    method: (msg.method ?? 'GET').toUpperCase(),
    segments: splitSegments(url.pathname),
    pathname: url.pathname,
    query: parseQuery(url.search),
    headers: msg.headers,
    body,
    ids: { requestId: newGuid(), clientRequestId: typeof clientRequestId === 'string' ? clientRequestId : newGuid() },
  };
}

export function jsonBody(req: Req): unknown {
  const text = req.body.toString('utf8').trim();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new GraphHttpError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
  }
}

export interface Prefer {
  immutableIds: boolean;
  maxPageSize: number | null;
  textBody: boolean;
}

/** `Prefer: IdType="ImmutableId", odata.maxpagesize=50, outlook.body-content-type="text"`. */
export function parsePrefer(req: Req): Prefer {
  const raw = header(req, 'prefer') ?? '';
  const parts = raw.split(/[,;]/).map((p) => p.trim().toLowerCase());
  const size = parts.map((p) => /^odata\.maxpagesize\s*=\s*(\d+)$/.exec(p)?.[1]).find(Boolean);
  return {
    immutableIds: parts.some((p) => /^idtype\s*=\s*"?immutableid"?$/.test(p)),
    maxPageSize: size ? Number(size) : null,
    textBody: parts.some((p) => /^outlook\.body-content-type\s*=\s*"?text"?$/.test(p)),
  };
}
