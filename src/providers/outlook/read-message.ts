import type { Client } from '@microsoft/microsoft-graph-client';
import { graphMessageToParsed, parseMime, type GraphMessage } from '../../mime';
import type { ParsedEmail } from '../../mime/types';
import { readCapped } from '../capped-read';
import { MessageUnreadableError } from '../unreadable';

const IMMUTABLE = 'IdType="ImmutableId"';
/** What a message over the bound is stored from: its headers and body, and each attachment without its bytes. */
const MESSAGE_FIELDS = 'id,internetMessageId,internetMessageHeaders,subject,from,sender,toRecipients,ccRecipients,bccRecipients,sentDateTime,body';
const ATTACHMENT_FIELDS = 'id,name,contentType,size,isInline';
/** Room for the JSON around a body of up to the bound. */
const JSON_SLACK = 64 * 1024;
const ERROR_BODY_CAP = 64 * 1024;

type Call = <T>(fn: () => Promise<T>) => Promise<T>;

/**
 * The message's content with at most `maxInlineBytes` of it in memory. Graph's message resource has
 * no size, so `$value` (the MIME, one request: the minimum for an ordinary message) is read under a
 * cap; over it the read is abandoned and the message read as JSON with `$expand=attachments($select=…)`,
 * which lists each attachment's size and id but not its bytes: two requests, for large messages only.
 */
export async function readOutlookContent(graph: Client, call: Call, id: string, maxInlineBytes: number): Promise<ParsedEmail> {
  const mime = await capped(call, graph.api(`/me/messages/${id}/$value`).header('Prefer', IMMUTABLE), maxInlineBytes);
  if (mime) return parseRaw(id, mime);
  const url = `/me/messages/${id}?$select=${MESSAGE_FIELDS}&$expand=attachments($select=${ATTACHMENT_FIELDS})`;
  const json = await capped(call, graph.api(url).header('Prefer', IMMUTABLE), maxInlineBytes + JSON_SLACK);
  if (!json) throw new MessageUnreadableError('too_large', `message ${id} is over ${maxInlineBytes} bytes even without its attachments`);
  const meta = parseJson(id, json);
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
    text: meta.text,
    html: meta.html,
    attachments: meta.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      size: a.size,
      content: null,
      ...(a.attachmentId ? { providerAttachmentId: a.attachmentId } : {}),
      ...(a.contentId ? { contentId: a.contentId } : {}),
    })),
  };
}

async function parseRaw(id: string, raw: Buffer): Promise<ParsedEmail> {
  try {
    return await parseMime(raw);
  } catch (err) {
    throw new MessageUnreadableError('parse', `message ${id} does not parse as MIME: ${(err as Error).message}`, { cause: err });
  }
}

function parseJson(id: string, json: Buffer): ReturnType<typeof graphMessageToParsed> {
  try {
    return graphMessageToParsed(JSON.parse(json.toString('utf8')) as GraphMessage);
  } catch (err) {
    throw new MessageUnreadableError('parse', `message ${id} does not parse as a Graph message: ${(err as Error).message}`, { cause: err });
  }
}

type Request = ReturnType<Client['api']>;

async function capped(call: Call, request: Request, cap: number): Promise<Buffer | null> {
  // The call lasts until its body is read: a response still streaming is a request in progress.
  return call(async () => {
    const abort = new AbortController();
    let stream: unknown;
    try {
      stream = await request.option('signal', abort.signal).getStream();
    } catch (err) {
      throw await withErrorBody(err);
    }
    return readCapped(stream, cap, abort);
  });
}

/** A streamed request's error carries its body unread; read it so the classification sees Graph's error code. */
async function withErrorBody(err: unknown): Promise<unknown> {
  const e = err as { body?: unknown };
  const body = e.body as { getReader?: unknown; [Symbol.asyncIterator]?: unknown } | null | undefined;
  if (!body || typeof body !== 'object' || !(Symbol.asyncIterator in body)) return err;
  try {
    const text = await readCapped(body, ERROR_BODY_CAP, new AbortController());
    const parsed = text ? (JSON.parse(text.toString('utf8')) as { error?: unknown }) : null;
    e.body = parsed && typeof parsed === 'object' && parsed.error ? JSON.stringify(parsed.error) : (text?.toString('utf8') ?? null);
  } catch {
    e.body = null;
  }
  return err;
}
