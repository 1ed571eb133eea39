import { headerValue, parseHeaderParams } from './decode';
import type { MimeNode } from './tree';

function decodeBody(node: MimeNode): string {
  const charset = parseHeaderParams(headerValue(node.headers, 'Content-Type') ?? '').params.charset ?? 'utf-8';
  try {
    return new TextDecoder(charset.toLowerCase()).decode(node.body);
  } catch {
    return node.body.toString('utf8');
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function htmlToText(html: string): string {
  return html
    .replace(/<(style|script)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<br\s*\/?>|<\/p>/gi, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(#\d+|[a-z]+);/gi, (m, e: string) => (e.startsWith('#') ? String.fromCharCode(Number(e.slice(1))) : ENTITIES[e.toLowerCase()] ?? m));
}

function firstLeaf(node: MimeNode, mimeType: string): MimeNode | null {
  if (node.children.length === 0) return node.mimeType === mimeType && !node.isAttachment ? node : null;
  for (const child of node.children) {
    const found = firstLeaf(child, mimeType);
    if (found) return found;
  }
  return null;
}

/** The readable text of a message (for snippets and search): its plain part, else its HTML stripped. */
export function bodyText(tree: MimeNode): string {
  const plain = firstLeaf(tree, 'text/plain');
  if (plain) return decodeBody(plain);
  const html = firstLeaf(tree, 'text/html');
  return html ? htmlToText(decodeBody(html)) : '';
}
