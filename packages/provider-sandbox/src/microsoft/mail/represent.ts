import { badRequest } from '../http/respond';
import type { Mailbox } from './mailbox';
import type { StoredAttachment, StoredMessage } from './model';

export interface RepresentOptions {
  immutableIds: boolean;
  select: string[] | null;
  expandAttachments: boolean;
  /** `$expand=attachments($select=…)`: only these attachment properties (no contentBytes unless named). */
  attachmentSelect?: string[] | null;
  /** `Prefer: outlook.body-content-type="text"`. */
  textBody: boolean;
}

/** Returned when no $select is given; internetMessageHeaders and uniqueBody only on request. */
const DEFAULT_PROPERTIES = [
  'createdDateTime', 'lastModifiedDateTime', 'changeKey', 'categories', 'receivedDateTime', 'sentDateTime',
  'hasAttachments', 'internetMessageId', 'subject', 'bodyPreview', 'importance', 'parentFolderId', 'conversationId',
  'conversationIndex', 'isDeliveryReceiptRequested', 'isReadReceiptRequested', 'isRead', 'isDraft', 'webLink',
  'inferenceClassification', 'body', 'sender', 'from', 'toRecipients', 'ccRecipients', 'bccRecipients', 'replyTo', 'flag',
];
const SELECT_ONLY = ['internetMessageHeaders', 'uniqueBody'];
const KNOWN = new Set(['id', ...DEFAULT_PROPERTIES, ...SELECT_ONLY]);

export const htmlToText = (html: string): string =>
  html.replace(/<(style|script)[^>]*>[\s\S]*?<\/\1>/gi, '').replace(/<br\s*\/?>|<\/p>|<\/div>/gi, '\n').replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

export const bodyPreview = (m: StoredMessage): string =>
  (m.body.contentType === 'html' ? htmlToText(m.body.content) : m.body.content).replace(/\s+/g, ' ').trim().slice(0, 255);

export function validateSelect(select: string[] | null): void {
  for (const name of select ?? []) {
    if (!KNOWN.has(name)) throw badRequest(`Could not find a property named '${name}' on type 'microsoft.graph.message'.`, 'RequestBroker--ParseUri');
  }
}

export const messageId = (m: StoredMessage, immutable: boolean): string => (immutable ? m.immutableId : m.restId);

function property(mailbox: Mailbox, m: StoredMessage, name: string, opts: RepresentOptions): unknown {
  switch (name) {
    case 'changeKey': return m.changeKey;
    case 'hasAttachments': return m.attachments.some((a) => !a.isInline);
    case 'bodyPreview': return bodyPreview(m);
    case 'conversationIndex': return m.conversationIndex.toString('base64');
    case 'isDeliveryReceiptRequested': return false;
    case 'isReadReceiptRequested': return false;
    case 'webLink': return `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(m.restId)}&exvsurl=1&viewmodel=ReadMessageItem`;
    case 'inferenceClassification': return 'focused';
    case 'flag': return { flagStatus: 'notFlagged' };
    case 'body':
    case 'uniqueBody':
      return opts.textBody && m.body.contentType === 'html' ? { contentType: 'text', content: htmlToText(m.body.content) } : { ...m.body };
    case 'parentFolderId': return m.folderId;
    case 'internetMessageHeaders': return m.transportHeaders ? m.transportHeaders.map((h) => ({ ...h })) : undefined;
    default: return (m as unknown as Record<string, unknown>)[name];
  }
}

const ATTACHMENT_PROPERTIES = ['lastModifiedDateTime', 'name', 'contentType', 'size', 'isInline', 'contentId', 'contentLocation', 'contentBytes'];

export function validateAttachmentSelect(select: string[] | null | undefined): void {
  for (const name of select ?? []) {
    if (name !== 'id' && !ATTACHMENT_PROPERTIES.includes(name)) {
      throw badRequest(`Could not find a property named '${name}' on type 'microsoft.graph.attachment'.`, 'RequestBroker--ParseUri');
    }
  }
}

/** A file attachment; with `select`, only those properties (and the id), so a listing can leave out the bytes. */
export function attachmentToGraph(a: StoredAttachment, select: string[] | null = null): Record<string, unknown> {
  const all: Record<string, unknown> = {
    lastModifiedDateTime: a.lastModifiedDateTime,
    name: a.name,
    contentType: a.contentType,
    size: a.content.length,
    isInline: a.isInline,
    contentId: a.contentId,
    contentLocation: null,
    contentBytes: a.content.toString('base64'),
  };
  const wanted = select ?? ATTACHMENT_PROPERTIES;
  return {
    '@odata.type': '#microsoft.graph.fileAttachment',
    '@odata.mediaContentType': a.contentType,
    id: a.id,
    ...Object.fromEntries(ATTACHMENT_PROPERTIES.filter((name) => wanted.includes(name)).map((name) => [name, all[name]])),
  };
}

/** The message as Graph returns it, honouring $select, $expand=attachments and the Prefer headers. */
export function messageToGraph(mailbox: Mailbox, m: StoredMessage, opts: RepresentOptions): Record<string, unknown> {
  const out: Record<string, unknown> = { '@odata.type': '#microsoft.graph.message', '@odata.etag': `W/"${m.changeKey}"`, id: messageId(m, opts.immutableIds) };
  for (const name of opts.select ?? DEFAULT_PROPERTIES) {
    if (name === 'id') continue;
    const value = property(mailbox, m, name, opts);
    if (value !== undefined) out[name] = value;
  }
  if (opts.expandAttachments) out.attachments = m.attachments.map((a) => attachmentToGraph(a, opts.attachmentSelect ?? null));
  return out;
}

/** Every property, for $filter evaluation and the control API. */
export const fullMessage = (mailbox: Mailbox, m: StoredMessage, immutableIds: boolean): Record<string, unknown> =>
  messageToGraph(mailbox, m, { immutableIds, select: [...DEFAULT_PROPERTIES, 'internetMessageHeaders'], expandAttachments: false, textBody: false });
