import { Readable } from 'node:stream';
import type { gmail_v1 } from 'googleapis';
import { invalidArgument } from './errors';
import { toMessagePart } from './mime/payload';
import type { StoredMessage } from './store/message';
import type { SandboxMessage } from './types';

export type MessageFormat = 'full' | 'metadata' | 'minimal' | 'raw';

export function parseFormat(value: unknown): MessageFormat {
  const format = typeof value === 'string' ? value.toLowerCase() : 'full';
  if (format === 'full' || format === 'metadata' || format === 'minimal' || format === 'raw') return format;
  throw invalidArgument(`Invalid value at 'format' (type.googleapis.com/google.apps.gmail.v1.Format), "${String(value)}"`);
}

export const labelList = (m: StoredMessage): string[] => [...m.labelIds];

/** A message as messages.get returns it in each format (provider-facts 1.3). */
export function messageView(m: StoredMessage, format: MessageFormat, metadataHeaders: string[] = []): gmail_v1.Schema$Message {
  const base: gmail_v1.Schema$Message = {
    id: m.id,
    threadId: m.threadId,
    labelIds: labelList(m),
    snippet: m.mail.snippet,
    sizeEstimate: m.raw.length,
    historyId: String(m.historyId),
    internalDate: String(m.internalDate),
  };
  if (format === 'minimal') return base;
  if (format === 'raw') return { ...base, raw: m.raw.toString('base64url') };
  if (format === 'full') return { ...base, payload: toMessagePart(m.mail.tree, m.id) };
  const wanted = new Set(metadataHeaders.map((h) => h.toLowerCase()));
  const headers = m.mail.tree.headers.filter((h) => wanted.size === 0 || wanted.has(h.name.toLowerCase()));
  return { ...base, payload: { mimeType: m.mail.tree.mimeType, headers: headers.map((h) => ({ name: h.name, value: h.value })) } };
}

/** Bytes of raw message per chunk: a multiple of 3, so the base64url pieces join into one string. */
const RAW_CHUNK = 3 * 64 * 1024;

/**
 * messages.get format=raw as a stream of JSON text: the base64url body is encoded as the client reads
 * it, so a client that stops reading a large message early costs the sandbox little.
 */
export function rawView(m: StoredMessage): Readable {
  const head = `${JSON.stringify(messageView(m, 'minimal')).slice(0, -1)},"raw":"`;
  function* pieces(): Generator<string> {
    yield head;
    for (let at = 0; at < m.raw.length; at += RAW_CHUNK) yield m.raw.subarray(at, at + RAW_CHUNK).toString('base64url');
    yield '"}';
  }
  return Readable.from(pieces(), { objectMode: false });
}

export function sandboxMessage(m: StoredMessage): SandboxMessage {
  const { mail } = m;
  return {
    id: m.id,
    threadId: m.threadId,
    labelIds: labelList(m),
    historyId: String(m.historyId),
    internalDate: String(m.internalDate),
    rfcMessageId: mail.rfcMessageId,
    subject: mail.subject,
    from: mail.from,
    to: mail.to,
    cc: mail.cc,
    bcc: mail.bcc,
    inReplyTo: mail.inReplyTo,
    references: mail.references,
    snippet: mail.snippet,
    sizeEstimate: m.raw.length,
  };
}

export const asArray = (value: unknown): string[] =>
  value === undefined || value === null ? [] : (Array.isArray(value) ? value : [value]).map((v) => String(v));
