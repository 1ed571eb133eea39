import { randomBytes } from 'node:crypto';
import { hasHeader, prependHeaders } from '../mime/compose';

/** Message-IDs in the style Gmail generates for mail sent without one. */
export const gmailMessageId = (): string => `<CA${randomBytes(30).toString('base64url')}@mail.gmail.com>`;

/** RFC 5322 date as mail servers write it. */
export function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

/** Fills what Gmail fills on send when the client left it out: From, Date and Message-ID. */
export function completeOutgoing(raw: Buffer, from: string, now: Date): Buffer {
  const missing: [string, string][] = [];
  if (!hasHeader(raw, 'From')) missing.push(['From', from]);
  if (!hasHeader(raw, 'Date')) missing.push(['Date', rfc5322Date(now)]);
  if (!hasHeader(raw, 'Message-ID')) missing.push(['Message-ID', gmailMessageId()]);
  return prependHeaders(raw, missing);
}
