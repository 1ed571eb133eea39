import { headerValue, splitMessage } from '../mail/headers';
import { decodeQuotedPrintable, splitMultipart } from '../mail/mime-tree';
import { parseHeaderParams } from '../mail/mime-params';

export interface UploadPart {
  contentType: string;
  body: Buffer;
}

/** Parts of a `multipart/related` upload (googleapis: JSON metadata first, then the media). */
export function parseRelated(body: Buffer, contentType: string | undefined): UploadPart[] | null {
  const type = parseHeaderParams(contentType);
  const boundary = type.params.boundary;
  if (!type.value.startsWith('multipart/') || !boundary) return null;
  return splitMultipart(body, boundary).map((part) => {
    const { fields, body: content } = splitMessage(part);
    const encoding = (headerValue(fields, 'Content-Transfer-Encoding') ?? '').toLowerCase();
    const decoded = encoding === 'base64' ? Buffer.from(content.toString('latin1'), 'base64') : encoding === 'quoted-printable' ? decodeQuotedPrintable(content) : content;
    return { contentType: parseHeaderParams(headerValue(fields, 'Content-Type')).value, body: decoded };
  });
}
