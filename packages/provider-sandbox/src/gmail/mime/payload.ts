import { randomBytes } from 'node:crypto';
import type { gmail_v1 } from 'googleapis';
import type { MimeNode } from './tree';

/**
 * Attachment ids are ephemeral in Gmail (they change between messages.get calls), so each view
 * mints a fresh one that still names the message and part it came from.
 */
export function mintAttachmentId(messageId: string, partId: string): string {
  const nonce = randomBytes(18).toString('base64url');
  return `ANGjdJ${Buffer.from(JSON.stringify({ m: messageId, p: partId, n: nonce })).toString('base64url')}`;
}

export function readAttachmentId(attachmentId: string): { messageId: string; partId: string } | null {
  if (!attachmentId.startsWith('ANGjdJ')) return null;
  try {
    const decoded = JSON.parse(Buffer.from(attachmentId.slice(6), 'base64url').toString('utf8')) as { m?: unknown; p?: unknown };
    return typeof decoded.m === 'string' && typeof decoded.p === 'string' ? { messageId: decoded.m, partId: decoded.p } : null;
  } catch {
    return null;
  }
}

const childPartId = (parent: string, index: number): string => (parent === '' ? String(index) : `${parent}.${index}`);

/** The `payload` of format=full: part ids "", "0", "0.1", ...; attachments by id, other leaves inline. */
export function toMessagePart(node: MimeNode, messageId: string, partId = ''): gmail_v1.Schema$MessagePart {
  const part: gmail_v1.Schema$MessagePart = {
    partId,
    mimeType: node.mimeType,
    filename: node.filename,
    headers: node.headers.map((h) => ({ name: h.name, value: h.value })),
    body: leafBody(node, messageId, partId),
  };
  if (node.children.length > 0) part.parts = node.children.map((child, i) => toMessagePart(child, messageId, childPartId(partId, i)));
  return part;
}

function leafBody(node: MimeNode, messageId: string, partId: string): gmail_v1.Schema$MessagePartBody {
  if (node.children.length > 0 || node.body.length === 0) return { size: 0 };
  if (node.isAttachment) return { attachmentId: mintAttachmentId(messageId, partId), size: node.body.length };
  return { size: node.body.length, data: node.body.toString('base64url') };
}

export function findPart(node: MimeNode, partId: string): MimeNode | null {
  if (partId === '') return node;
  let current: MimeNode | undefined = node;
  for (const index of partId.split('.')) current = current?.children[Number(index)];
  return current ?? null;
}
