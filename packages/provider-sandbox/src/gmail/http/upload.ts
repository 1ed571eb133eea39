import { badRequest } from '../errors';
import { headerValue, parseHeaderBlock, parseHeaderParams } from '../mime/decode';
import { splitEntity, splitMultipart } from '../mime/tree';

export interface UploadedMessage {
  metadata: Record<string, unknown>;
  media: Buffer | null;
}

/**
 * The bodies googleapis sends to /upload/...: `uploadType=media` is the RFC 822 message itself;
 * `uploadType=multipart` is multipart/related with the JSON resource first and the media second.
 */
export function readUpload(uploadType: string | undefined, contentType: string | undefined, body: unknown): UploadedMessage {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : '', 'latin1');
  if (uploadType === 'media') return { metadata: {}, media: bytes };
  if (uploadType !== 'multipart') throw badRequest(`Unsupported upload type: ${uploadType ?? '(none)'}`, 'invalidArgument');
  const boundary = parseHeaderParams(contentType ?? '').params.boundary;
  if (!boundary) throw badRequest('Missing multipart boundary', 'invalidArgument');
  const parts = splitMultipart(bytes.toString('latin1'), boundary).map(splitEntity);
  let metadata: Record<string, unknown> = {};
  let media: Buffer | null = null;
  for (const part of parts) {
    const type = parseHeaderParams(headerValue(parseHeaderBlock(part.head), 'Content-Type') ?? '').value;
    if (type === 'application/json' && media === null && Object.keys(metadata).length === 0) {
      metadata = parseJsonObject(Buffer.from(part.body, 'latin1').toString('utf8'));
    } else {
      media = Buffer.from(part.body, 'latin1');
    }
  }
  return { metadata, media };
}

function parseJsonObject(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    throw badRequest('Invalid JSON payload received.');
  }
}
