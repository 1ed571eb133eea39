import { simpleParser, type AddressObject } from 'mailparser';
import { bodyText } from '../mime/text';
import { parseMimeTree, splitEntity, type MimeNode } from '../mime/tree';

/** Header blocks are small; this bounds the copy made to find one. */
const HEAD_SCAN_BYTES = 256 * 1024;
import { bareMessageId, normalizeSubject, parseMessageIds } from './threading';

/** What the sandbox keeps per message; the raw bytes stay the source of truth for every view. */
export interface StoredMessage {
  id: string;
  threadId: string;
  labelIds: Set<string>;
  historyId: number;
  internalDate: number;
  raw: Buffer;
  mail: ParsedMail;
}

export interface ParsedMail {
  tree: MimeNode;
  /** As in the header, with angle brackets. */
  rfcMessageId: string;
  subject: string;
  normalizedSubject: string;
  from: string[];
  to: string[];
  cc: string[];
  bcc: string[];
  inReplyTo: string[];
  references: string[];
  text: string;
  snippet: string;
  dateHeader: number | null;
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  const out: string[] = [];
  const walk = (entries: AddressObject['value']) => {
    for (const entry of entries) {
      if (entry.address) out.push(entry.address.toLowerCase());
      if (entry.group) walk(entry.group);
    }
  };
  for (const obj of list) walk(obj.value);
  return out;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Gmail snippets: the start of the text, spacing collapsed, HTML-escaped. */
export function snippetOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return flat.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

/**
 * mailparser reads the header semantics (addresses, ids, subject, date) from the header block alone,
 * so a 30 MB attachment is not decoded twice; the body text comes from the sandbox's own MIME tree.
 */
export async function parseMail(raw: Buffer): Promise<ParsedMail> {
  const tree = parseMimeTree(raw);
  const { head } = splitEntity(raw.toString('latin1', 0, Math.min(raw.length, HEAD_SCAN_BYTES)));
  const parsed = await simpleParser(Buffer.from(`${head}\r\n\r\n`, 'latin1'));
  const subject = parsed.subject ?? '';
  const text = bodyText(tree);
  const date = parsed.headers.has('date') && parsed.date ? parsed.date.getTime() : null;
  return {
    tree,
    rfcMessageId: parsed.messageId ?? '',
    subject,
    normalizedSubject: normalizeSubject(subject),
    from: addresses(parsed.from),
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    bcc: addresses(parsed.bcc),
    inReplyTo: parseMessageIds(parsed.inReplyTo),
    references: parseMessageIds(parsed.references),
    text,
    snippet: snippetOf(text),
    dateHeader: date !== null && Number.isFinite(date) ? date : null,
  };
}

export const rfcKey = (mail: ParsedMail): string => bareMessageId(mail.rfcMessageId);
