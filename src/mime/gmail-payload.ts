import type { gmail_v1 } from 'googleapis';
import { parseAddressList, toIsoDate } from './addresses';
import { normalizeMessageId, splitMessageIds } from './message-id';
import type { AttachmentMeta, EmailAddress, GmailMessageMeta, UnfetchedBodyPart } from './types';

type Part = gmail_v1.Schema$MessagePart;
type Header = gmail_v1.Schema$MessagePartHeader;

interface Bodies {
  text: string | null;
  html: string | null;
  attachments: AttachmentMeta[];
  unfetched: UnfetchedBodyPart[];
}

function header(headers: Header[] | undefined, name: string): string | null {
  const wanted = name.toLowerCase();
  return headers?.find((h) => h.name?.toLowerCase() === wanted)?.value ?? null;
}

/** Address headers may repeat (two To lines); their mailboxes are read in header order. */
function addresses(headers: Header[], name: string): EmailAddress[] {
  const wanted = name.toLowerCase();
  const values = headers.filter((h) => h.name?.toLowerCase() === wanted && h.value).map((h) => h.value ?? '');
  return parseAddressList(values.join(', '));
}

function charsetOf(part: Part): string {
  const match = /;\s*charset="?([^";\s]+)"?/i.exec(header(part.headers, 'Content-Type') ?? '');
  return match?.[1]?.toLowerCase() ?? 'utf-8';
}

/** Gmail hands out the part's decoded bytes (base64url) in the part's own charset. */
function decodeText(part: Part, data: string): string {
  const bytes = Buffer.from(data, 'base64url');
  try {
    return new TextDecoder(charsetOf(part)).decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}

function isAttachment(part: Part): boolean {
  const disposition = header(part.headers, 'Content-Disposition') ?? '';
  // A forwarded message is an attachment: its inner text is not this message's body.
  return Boolean(part.filename) || /^\s*attachment/i.test(disposition) || part.mimeType?.toLowerCase() === 'message/rfc822';
}

function attachmentMeta(part: Part): AttachmentMeta {
  const contentId = header(part.headers, 'Content-ID')?.trim().replace(/^<|>$/g, '');
  const disposition = header(part.headers, 'Content-Disposition') ?? '';
  return {
    filename: part.filename ?? '',
    contentType: part.mimeType ?? 'application/octet-stream',
    size: part.body?.size ?? 0,
    attachmentId: part.body?.attachmentId ?? null,
    ...(part.partId ? { partId: part.partId } : {}),
    ...(contentId ? { contentId } : {}),
    inline: /^\s*inline/i.test(disposition) || (Boolean(contentId) && !/^\s*attachment/i.test(disposition)),
  };
}

function collectBody(part: Part, out: Bodies): void {
  const mimeType = part.mimeType?.toLowerCase() ?? '';
  if (isAttachment(part)) {
    out.attachments.push(attachmentMeta(part));
    return;
  }
  if (mimeType.startsWith('multipart/')) {
    for (const child of part.parts ?? []) collectBody(child, out);
    return;
  }
  const key = mimeType === 'text/plain' ? 'text' : mimeType === 'text/html' ? 'html' : null;
  if (!key || out[key] !== null) return;
  if (part.body?.data) out[key] = decodeText(part, part.body.data);
  else if (part.body?.attachmentId) out.unfetched.push({ partId: part.partId ?? null, mimeType, attachmentId: part.body.attachmentId });
}

/**
 * Converts a Gmail `messages.get` answer (format=full, or metadata, which has headers only) into
 * the engine's message shape. Attachments are described, not downloaded.
 */
export function gmailPayloadToParsed(message: gmail_v1.Schema$Message): GmailMessageMeta {
  if (!message.id) throw new Error('Gmail message has no id');
  const headers = message.payload?.headers ?? [];
  const bodies: Bodies = { text: null, html: null, attachments: [], unfetched: [] };
  if (message.payload) collectBody(message.payload, bodies);
  const [from] = addresses(headers, 'From');
  return {
    providerMessageId: message.id,
    providerThreadId: message.threadId ?? null,
    receivedAt: message.internalDate ? toIsoDate(new Date(Number(message.internalDate))) : null,
    rfcMessageId: normalizeMessageId(header(headers, 'Message-ID')),
    inReplyTo: normalizeMessageId(header(headers, 'In-Reply-To')),
    references: splitMessageIds(header(headers, 'References')),
    subject: header(headers, 'Subject') ?? '',
    from: from ?? null,
    to: addresses(headers, 'To'),
    cc: addresses(headers, 'Cc'),
    bcc: addresses(headers, 'Bcc'),
    date: toIsoDate(header(headers, 'Date')),
    text: bodies.text,
    html: bodies.html,
    attachments: bodies.attachments,
    labelIds: message.labelIds ?? [],
    historyId: message.historyId ?? null,
    sizeEstimate: message.sizeEstimate ?? null,
    unfetchedBodyParts: bodies.unfetched,
  };
}
