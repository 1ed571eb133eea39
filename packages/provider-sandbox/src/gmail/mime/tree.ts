import { decodeTransfer, headerValue, parseHeaderBlock, parseHeaderParams, type MimeHeader } from './decode';

/** One MIME entity: leaves hold their decoded bytes, multiparts their children. */
export interface MimeNode {
  headers: MimeHeader[];
  mimeType: string;
  filename: string;
  isAttachment: boolean;
  body: Buffer;
  children: MimeNode[];
}

/** Splits at the first empty line; the raw text is handled as latin1 so bytes survive the round trip. */
export function splitEntity(text: string): { head: string; body: string } {
  const match = /\r?\n\r?\n/.exec(text);
  if (!match) return { head: text, body: '' };
  return { head: text.slice(0, match.index), body: text.slice(match.index + match[0].length) };
}

export function parseMimeTree(raw: Buffer): MimeNode {
  return parseEntity(raw.toString('latin1'), 'text/plain');
}

function parseEntity(text: string, defaultType: string): MimeNode {
  const { head, body } = splitEntity(text);
  const headers = parseHeaderBlock(head);
  const contentType = parseHeaderParams(headerValue(headers, 'Content-Type') ?? defaultType);
  const disposition = parseHeaderParams(headerValue(headers, 'Content-Disposition') ?? '');
  const mimeType = contentType.value.includes('/') ? contentType.value : 'text/plain';
  const filename = disposition.params.filename ?? contentType.params.name ?? '';
  const boundary = contentType.params.boundary;
  if (mimeType.startsWith('multipart/') && boundary) {
    const childDefault = mimeType === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
    const children = splitMultipart(body, boundary).map((part) => parseEntity(part, childDefault));
    return { headers, mimeType, filename, isAttachment: false, body: Buffer.alloc(0), children };
  }
  const isAttachment = filename !== '' || disposition.value === 'attachment';
  const decoded = decodeTransfer(body, headerValue(headers, 'Content-Transfer-Encoding'));
  return { headers, mimeType, filename, isAttachment, body: decoded, children: [] };
}

/** Parts between delimiter lines; the line break before a delimiter belongs to the delimiter. */
export function splitMultipart(body: string, boundary: string): string[] {
  const escaped = boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const delimiter = new RegExp(`(?:^|\\r?\\n)--${escaped}(--)?[ \\t]*(?:\\r?\\n|$)`, 'g');
  const parts: string[] = [];
  let start = -1;
  for (let match = delimiter.exec(body); match; match = delimiter.exec(body)) {
    if (start >= 0) parts.push(body.slice(start, match.index));
    if (match[1]) return parts;
    start = match.index + match[0].length;
  }
  if (start >= 0) parts.push(body.slice(start));
  return parts;
}
