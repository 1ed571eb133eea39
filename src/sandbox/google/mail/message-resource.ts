import type { gmail_v1 } from 'googleapis';
import { decodeWords } from './headers';
import type { StoredMessage } from './message';
import type { MimeNode } from './mime-tree';

export type MessageFormat = 'full' | 'metadata' | 'minimal' | 'raw';

export function parseFormat(value: string | null): MessageFormat | null {
  const format = (value ?? 'full').toLowerCase();
  return format === 'full' || format === 'metadata' || format === 'minimal' || format === 'raw' ? format : null;
}

export interface ResourceOptions {
  format: MessageFormat;
  metadataHeaders?: string[];
  mintAttachmentId: (messageId: string, partId: string) => string;
}

function headersOf(node: MimeNode, only?: string[]): gmail_v1.Schema$MessagePartHeader[] {
  const wanted = only && only.length > 0 ? new Set(only.map((h) => h.toLowerCase())) : null;
  return node.fields.filter((f) => !wanted || wanted.has(f.name.toLowerCase())).map((f) => ({ name: f.name, value: decodeWords(f.value) }));
}

function toPart(node: MimeNode, partId: string, messageId: string, mint: ResourceOptions['mintAttachmentId']): gmail_v1.Schema$MessagePart {
  const base = { partId, mimeType: node.mimeType, filename: node.filename, headers: headersOf(node) };
  if (node.children.length > 0 || node.mimeType.startsWith('multipart/')) {
    const childId = (i: number) => (partId === '' ? String(i) : `${partId}.${i}`);
    return { ...base, body: { size: 0 }, parts: node.children.map((child, i) => toPart(child, childId(i), messageId, mint)) };
  }
  if (node.filename) return { ...base, body: { attachmentId: mint(messageId, partId), size: node.content.length } };
  if (node.content.length === 0) return { ...base, body: { size: 0 } };
  return { ...base, body: { size: node.content.length, data: node.content.toString('base64url') } };
}

/** A stored message as the Gmail API returns it in the requested format. */
export function messageResource(m: StoredMessage, opts: ResourceOptions): gmail_v1.Schema$Message {
  const head = { id: m.id, threadId: m.threadId, labelIds: [...m.labelIds], snippet: m.snippet };
  const tail = { sizeEstimate: m.raw.length, historyId: String(m.historyId), internalDate: String(m.internalDate) };
  switch (opts.format) {
    case 'minimal':
      return { ...head, ...tail };
    case 'raw':
      return { ...head, sizeEstimate: tail.sizeEstimate, raw: m.raw.toString('base64url'), historyId: tail.historyId, internalDate: tail.internalDate };
    case 'metadata':
      return { ...head, payload: { partId: '', mimeType: m.tree.mimeType, filename: '', headers: headersOf(m.tree, opts.metadataHeaders) }, ...tail };
    case 'full':
      return { ...head, payload: toPart(m.tree, '', m.id, opts.mintAttachmentId), ...tail };
  }
}

/** The short form used in list responses and history records. */
export function messageRef(m: { id: string; threadId: string }): gmail_v1.Schema$Message {
  return { id: m.id, threadId: m.threadId };
}
