import type { NotMail } from '../../rules/types';
import type { gmail_v1 } from 'googleapis';
import { gmailPayloadToParsed, parseMime } from '../../mime';
import type { GmailMessageMeta, ParsedEmail } from '../../mime/types';
import { abandon, readCapped } from '../capped-read';
import { providerStatusOf } from '../errors';
import type { FetchedMessage } from '../types';
import { MessageUnreadableError } from '../unreadable';
import { stateFromLabels } from './history-updates';
import { GMAIL_UNITS } from './quota';
import { readRawMessageJson } from './raw-json';

type Users = gmail_v1.Gmail['users'];
const GONE = Symbol('gone');

/** Room for the JSON fields around a message's base64url body. */
const JSON_SLACK = 64 * 1024;
/** Response bytes for a JSON answer with up to `maxInlineBytes` in base64url (4/3 of it), e.g. a large text part. */
export const gmailJsonCap = (maxInlineBytes: number): number => Math.ceil((maxInlineBytes * 4) / 3) + JSON_SLACK;

/**
 * One message with at most `maxInlineBytes` of it in memory. History entries carry no size, so the
 * first read is `format=raw` (one call, 5 units: the minimum for the ordinary message) with the body
 * read under a cap. Over the cap the read is abandoned and the message read again as `format=full`,
 * which gives the headers, the text parts and each attachment's size and part id without its bytes:
 * 10 units, for large messages only.
 */
export async function readGmailMessage(users: Users, id: string, maxInlineBytes: number, count: (units: number) => void): Promise<FetchedMessage | null> {
  count(GMAIL_UNITS.messagesGet);
  const raw = await getRaw(users, id, maxInlineBytes);
  if (raw === GONE) return null;
  if (raw) return fetched(raw.message, await parseRaw(id, raw.raw));
  count(GMAIL_UNITS.messagesGet);
  const full = await getCapped(users, id, 'full', gmailJsonCap(maxInlineBytes));
  if (full === GONE) return null;
  if (!full) throw new MessageUnreadableError('too_large', `message ${id} is over ${maxInlineBytes} bytes even without its attachments`);
  const { data, meta } = parseFull(id, full);
  return fetched(data, await withoutAttachmentBytes(users, meta, maxInlineBytes, count));
}

/** The part tree is the sender's MIME as Gmail read it: however deep or odd, it fails as this message's, not the mailbox's. */
function parseFull(id: string, body: Buffer): { data: gmail_v1.Schema$Message; meta: GmailMessageMeta } {
  try {
    const data = JSON.parse(body.toString('utf8')) as gmail_v1.Schema$Message;
    return { data, meta: gmailPayloadToParsed(data) };
  } catch (err) {
    throw new MessageUnreadableError('parse', `message ${id} does not parse as a Gmail message: ${(err as Error).message}`, { cause: err });
  }
}

async function parseRaw(id: string, raw: Buffer): Promise<ParsedEmail> {
  try {
    return await parseMime(raw);
  } catch (err) {
    throw new MessageUnreadableError('parse', `message ${id} does not parse as MIME: ${(err as Error).message}`, { cause: err });
  }
}

function fetched(data: gmail_v1.Schema$Message, parsed: ParsedEmail): FetchedMessage {
  return {
    providerMessageId: data.id!,
    providerThreadId: data.threadId ?? data.id!,
    receivedAt: new Date(Number(data.internalDate ?? Date.now())).toISOString(),
    inSent: (data.labelIds ?? []).includes('SENT'),
    notMail: notMailOf(data.labelIds ?? []),
    parsed,
    state: stateFromLabels(data.labelIds ?? []),
  };
}

/** The message from its part tree; attachments stay at Gmail, named by part id (attachment ids change on every read). */
async function withoutAttachmentBytes(users: Users, meta: GmailMessageMeta, maxInlineBytes: number, count: (units: number) => void): Promise<ParsedEmail> {
  const bodies = { text: meta.text, html: meta.html };
  // Gmail leaves a very large text part out of the payload; fetch it when it fits the bound.
  for (const part of meta.unfetchedBodyParts) {
    const key = part.mimeType === 'text/html' ? 'html' : 'text';
    if (bodies[key] !== null) continue;
    count(GMAIL_UNITS.attachmentsGet);
    bodies[key] = await attachmentText(users, meta.providerMessageId, part.attachmentId, gmailJsonCap(maxInlineBytes));
  }
  return {
    rfcMessageId: meta.rfcMessageId,
    inReplyTo: meta.inReplyTo,
    references: meta.references,
    subject: meta.subject,
    from: meta.from,
    to: meta.to,
    cc: meta.cc,
    bcc: meta.bcc,
    date: meta.date,
    ...bodies,
    attachments: meta.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      size: a.size,
      content: null,
      ...providerRef(a.partId ?? a.attachmentId),
      ...(a.contentId ? { contentId: a.contentId } : {}),
    })),
  };
}

const providerRef = (id: string | null | undefined) => (id ? { providerAttachmentId: id } : {});

/** A text part Gmail handed out by attachment id, decoded as UTF-8 (the part's charset is not in the reference); null when over the bound. */
async function attachmentText(users: Users, messageId: string, attachmentId: string, cap: number): Promise<string | null> {
  const abort = new AbortController();
  let res;
  try {
    res = await users.messages.attachments.get({ userId: 'me', messageId, id: attachmentId }, { responseType: 'stream', signal: abort.signal });
  } catch (err) {
    throw withErrorBody(err);
  }
  const body = await readCapped(res.data, cap, abort);
  if (!body) return null;
  const data = JSON.parse(body.toString('utf8')) as gmail_v1.Schema$MessagePartBody;
  return Buffer.from(data.data ?? '', 'base64url').toString('utf8');
}

async function getStream(users: Users, id: string, format: 'raw' | 'full', abort: AbortController) {
  try {
    return (await users.messages.get({ userId: 'me', id, format }, { responseType: 'stream', signal: abort.signal })).data;
  } catch (err) {
    // Deleted between the change and the read.
    if (providerStatusOf(err) === 404) return GONE;
    throw withErrorBody(err);
  }
}

/** format=raw with the message decoded as it arrives (raw-json.ts); null when it is over `maxBytes`. */
async function getRaw(users: Users, id: string, maxBytes: number) {
  const abort = new AbortController();
  const stream = await getStream(users, id, 'raw', abort);
  if (stream === GONE) return GONE;
  return readRawMessageJson(stream, maxBytes, () => abandon(stream, abort));
}

async function getCapped(users: Users, id: string, format: 'full', cap: number): Promise<Buffer | null | typeof GONE> {
  const abort = new AbortController();
  const stream = await getStream(users, id, format, abort);
  return stream === GONE ? GONE : readCapped(stream, cap, abort);
}

/**
 * A streamed request's error keeps Google's JSON body only in its message; put it back where the
 * error classification reads the reason (a 403 rate limit must not look like a permanent 403).
 */
function withErrorBody(err: unknown): unknown {
  const e = err as { message?: unknown; response?: { data?: unknown } };
  if (!e.response || (typeof e.response.data === 'object' && e.response.data !== null) || typeof e.message !== 'string') return err;
  try {
    e.response.data = JSON.parse(e.message);
  } catch {
    // Not JSON: the message text is all there is, and the classification reads it as such.
  }
  return err;
}

/** R23: a draft save, or mail in Spam or Trash, is not mail to sync (yet: sending it or moving it out makes it mail). */
export function notMailOf(labelIds: string[]): NotMail | null {
  if (labelIds.includes('DRAFT')) return 'draft';
  if (labelIds.includes('SPAM') || labelIds.includes('TRASH')) return 'junk';
  return null;
}
