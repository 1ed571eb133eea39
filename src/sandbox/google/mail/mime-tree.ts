import { headerValue, splitMessage, type HeaderField } from './headers';
import { parseHeaderParams } from './mime-params';

/** One MIME entity with its decoded content; multipart entities carry children instead. */
export interface MimeNode {
  fields: HeaderField[];
  mimeType: string;
  filename: string;
  disposition: string;
  content: Buffer;
  children: MimeNode[];
}

const MAX_DEPTH = 20;

export function decodeQuotedPrintable(input: Buffer): Buffer {
  const text = input.toString('latin1').replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(text.charCodeAt(i));
  }
  return Buffer.from(bytes);
}

function decodeTransfer(body: Buffer, encoding: string | undefined): Buffer {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'base64':
      return Buffer.from(body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    default:
      return body;
  }
}

/** Splits a multipart body at its boundary lines; the line break before a boundary belongs to it. */
export function splitMultipart(body: Buffer, boundary: string): Buffer[] {
  const text = body.toString('latin1');
  const delimiter = `--${boundary}`;
  const parts: Buffer[] = [];
  let start = -1;
  let cursor = 0;
  while (cursor <= text.length) {
    const at = text.indexOf(delimiter, cursor);
    if (at === -1) break;
    const after = text[at + delimiter.length];
    const atLineStart = at === 0 || text[at - 1] === '\n';
    if (!atLineStart || (after !== undefined && !/[-\r\n \t]/.test(after))) {
      cursor = at + delimiter.length;
      continue;
    }
    if (start !== -1) {
      const end = text[at - 2] === '\r' ? at - 2 : at - 1;
      parts.push(body.subarray(start, Math.max(start, end)));
    }
    if (text.startsWith('--', at + delimiter.length)) return parts;
    const lineEnd = text.indexOf('\n', at);
    if (lineEnd === -1) break;
    start = lineEnd + 1;
    cursor = start;
  }
  if (start !== -1 && start < body.length) parts.push(body.subarray(start));
  return parts;
}

function parseEntity(raw: Buffer, depth: number): MimeNode {
  const { fields, body } = splitMessage(raw);
  const type = parseHeaderParams(headerValue(fields, 'Content-Type'));
  const disposition = parseHeaderParams(headerValue(fields, 'Content-Disposition'));
  const mimeType = type.value && type.value.includes('/') ? type.value : 'text/plain';
  const filename = disposition.params.filename ?? type.params.name ?? '';
  const node: MimeNode = { fields, mimeType, filename, disposition: disposition.value, content: Buffer.alloc(0), children: [] };
  const boundary = type.params.boundary;
  if (mimeType.startsWith('multipart/') && boundary && depth < MAX_DEPTH) {
    node.children = splitMultipart(body, boundary).map((part) => parseEntity(part, depth + 1));
    return node;
  }
  node.content = decodeTransfer(body, headerValue(fields, 'Content-Transfer-Encoding'));
  return node;
}

/** Parses a whole RFC 5322 message into its MIME tree. */
export function parseMimeTree(raw: Buffer): MimeNode {
  return parseEntity(raw, 0);
}

/** Walks the tree depth-first, giving each node Gmail's part id ("" for the root, then "0", "0.1", ...). */
export function walkParts(root: MimeNode, visit: (node: MimeNode, partId: string) => void): void {
  const go = (node: MimeNode, partId: string) => {
    visit(node, partId);
    node.children.forEach((child, i) => go(child, partId === '' ? String(i) : `${partId}.${i}`));
  };
  go(root, '');
}

export function findPart(root: MimeNode, partId: string): MimeNode | undefined {
  let found: MimeNode | undefined;
  walkParts(root, (node, id) => {
    if (id === partId) found = node;
  });
  return found;
}
