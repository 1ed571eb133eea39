import { simpleParser, type Attachment } from 'mailparser';
import { fromAddressObjects, toIsoDate } from './addresses';
import { normalizeMessageId, splitMessageIds } from './message-id';
import type { ParsedAttachment, ParsedEmail } from './types';

// Bodies are stored as sent: no generated text from HTML, no cid: links rewritten into data URIs.
const PARSER_OPTIONS = {
  skipHtmlToText: true,
  skipTextToHtml: true,
  skipTextLinks: true,
  skipImageLinks: true,
  keepCidLinks: true,
} as const;

function stripBrackets(id: string | undefined): string | undefined {
  const trimmed = id?.trim().replace(/^<|>$/g, '');
  return trimmed ? trimmed : undefined;
}

function toAttachment(a: Attachment): ParsedAttachment {
  const contentId = stripBrackets(a.contentId);
  return {
    filename: a.filename ?? '',
    contentType: a.contentType,
    size: a.content.length,
    content: a.content,
    ...(contentId ? { contentId } : {}),
  };
}

function referencesOf(value: string | string[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return [...new Set(list.flatMap((v) => splitMessageIds(v)))];
}

/** Parses a raw RFC 5322 message with mailparser's simpleParser. */
export async function parseMime(raw: Buffer | string): Promise<ParsedEmail> {
  const mail = await simpleParser(raw, PARSER_OPTIONS);
  const [from] = fromAddressObjects(mail.from);
  return {
    rfcMessageId: normalizeMessageId(mail.messageId),
    inReplyTo: normalizeMessageId(mail.inReplyTo),
    references: referencesOf(mail.references),
    subject: mail.subject ?? '',
    from: from ?? null,
    to: fromAddressObjects(mail.to),
    cc: fromAddressObjects(mail.cc),
    bcc: fromAddressObjects(mail.bcc),
    date: toIsoDate(mail.date),
    // mailparser reports a missing text part as ''; an empty body and no body mean the same here.
    text: mail.text || null,
    html: typeof mail.html === 'string' && mail.html !== '' ? mail.html : null,
    attachments: mail.attachments.map(toAttachment),
  };
}
