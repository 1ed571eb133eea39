import { GraphHttpError, badRequest } from '../http/respond';
import { emptyDraft, recipient, storedAttachment, type Draft } from '../mail/compose';
import { MAX_CUSTOM_HEADERS, MAX_INLINE_ATTACHMENT_BYTES } from '../mail/limits';
import type { Header, Recipient, StoredAttachment } from '../mail/model';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function recipientList(value: unknown, field: string): Recipient[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badRequest(`Property '${field}' must be a collection.`, 'RequestBodyRead');
  return value.map((item) => {
    const email = isObject(item) && isObject(item.emailAddress) ? item.emailAddress : null;
    const address = email && typeof email.address === 'string' ? email.address.trim() : '';
    if (!address) throw badRequest(`At least one recipient is not valid., Recipient '' is not resolved.`, 'ErrorInvalidRecipients');
    return recipient(address, typeof email?.name === 'string' ? email.name : null);
  });
}

function single(value: unknown, field: string): Recipient | null {
  if (value === undefined || value === null) return null;
  return recipientList([value], field)[0] ?? null;
}

/** Only custom x- headers, at most five, never an empty list (provider-facts 2.1). */
export function customHeaders(value: unknown): Header[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length === 0) {
    throw badRequest('The internet message header collection is invalid.', 'InvalidInternetMessageHeaderCollection');
  }
  if (value.length > MAX_CUSTOM_HEADERS) {
    throw badRequest(`Maximum number of headers in one message should be less than or equal to ${MAX_CUSTOM_HEADERS}.`, 'InvalidInternetMessageHeaderCollection');
  }
  return value.map((h) => {
    const name = isObject(h) && typeof h.name === 'string' ? h.name : '';
    const v = isObject(h) && typeof h.value === 'string' ? h.value : '';
    if (!/^x-/i.test(name)) {
      throw badRequest(`The internet message header name '${name}' should start with 'x-' or 'X-'.`, 'InvalidInternetMessageHeader');
    }
    return { name, value: v };
  });
}

/** A fileAttachment from JSON; over 3 MB it must go through an upload session. */
export function fileAttachment(value: unknown): StoredAttachment {
  if (!isObject(value)) throw badRequest('Invalid attachment.', 'RequestBodyRead');
  const type = typeof value['@odata.type'] === 'string' ? value['@odata.type'].toLowerCase() : '';
  if (type !== '#microsoft.graph.fileattachment') throw badRequest(`Attachment type '${type}' is not supported by the sandbox.`, 'ErrorInvalidRequest');
  if (typeof value.name !== 'string' || typeof value.contentBytes !== 'string') {
    throw badRequest('A file attachment needs name and contentBytes.', 'ErrorInvalidProperty');
  }
  const content = Buffer.from(value.contentBytes, 'base64');
  if (content.length > MAX_INLINE_ATTACHMENT_BYTES) {
    throw new GraphHttpError(413, 'RequestEntityTooLarge', 'The maximum attachment size in one request is 3 MB; use an upload session for larger files.');
  }
  const contentType = typeof value.contentType === 'string' ? value.contentType : 'application/octet-stream';
  return storedAttachment(value.name, contentType, content, value.isInline === true, typeof value.contentId === 'string' ? value.contentId : null);
}

function bodyOf(value: unknown): Draft['body'] | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw badRequest("Property 'body' must be an itemBody.", 'RequestBodyRead');
  const type = typeof value.contentType === 'string' ? value.contentType.toLowerCase() : 'text';
  if (type !== 'text' && type !== 'html') throw badRequest(`Invalid contentType '${type}'.`, 'RequestBodyRead');
  return { contentType: type, content: typeof value.content === 'string' ? value.content : '' };
}

/** The properties a Graph message JSON sets; absent ones stay undefined so PATCH leaves them alone. */
export function parseMessageJson(value: unknown): Partial<Draft> {
  if (!isObject(value)) throw badRequest('Empty Payload, JSON content expected.', 'ErrorInvalidRequest');
  const out: Partial<Draft> = {};
  if (value.subject !== undefined) out.subject = String(value.subject ?? '');
  const body = bodyOf(value.body);
  if (body) out.body = body;
  if ('from' in value) out.from = single(value.from, 'from');
  if ('toRecipients' in value) out.toRecipients = recipientList(value.toRecipients, 'toRecipients');
  if ('ccRecipients' in value) out.ccRecipients = recipientList(value.ccRecipients, 'ccRecipients');
  if ('bccRecipients' in value) out.bccRecipients = recipientList(value.bccRecipients, 'bccRecipients');
  if ('replyTo' in value) out.replyTo = recipientList(value.replyTo, 'replyTo');
  if (typeof value.internetMessageId === 'string' && value.internetMessageId.trim()) out.internetMessageId = value.internetMessageId.trim();
  if ('internetMessageHeaders' in value) out.customHeaders = customHeaders(value.internetMessageHeaders);
  if (Array.isArray(value.attachments)) out.attachments = value.attachments.map(fileAttachment);
  if (value.importance === 'low' || value.importance === 'normal' || value.importance === 'high') out.importance = value.importance;
  if (Array.isArray(value.categories)) out.categories = value.categories.map(String);
  return out;
}

export const draftFromJson = (value: unknown): Draft => ({ ...emptyDraft(), ...parseMessageJson(value) });
