import { randomBytes } from 'node:crypto';
import type { Header, Recipient, StoredMessage } from './model';

const formatAddress = (r: Recipient): string =>
  r.emailAddress.name && r.emailAddress.name !== r.emailAddress.address ? `"${r.emailAddress.name}" <${r.emailAddress.address}>` : r.emailAddress.address;

const rfc2822Date = (iso: string): string => new Date(iso).toUTCString().replace('GMT', '+0000');

/**
 * The headers a received copy carries, in the order Exchange lists them. Only received mail has
 * them; drafts and Sent Items copies were never transported.
 */
export function transportHeaders(m: StoredMessage, extra: Record<string, string> = {}): Header[] {
  const hop = randomBytes(6).toString('hex').toUpperCase();
  const list: [string, string | null][] = [
    ['Received', `from SBX${hop}.sandbox.prod.outlook.com by SBX${hop}.sandbox.prod.outlook.com with HTTPS; ${rfc2822Date(m.receivedDateTime)}`],
    ['Content-Type', m.attachments.length ? 'multipart/mixed' : m.body.contentType === 'html' ? 'text/html; charset="utf-8"' : 'text/plain; charset="utf-8"'],
    ['MIME-Version', '1.0'],
    ['From', m.from ? formatAddress(m.from) : null],
    ['To', m.toRecipients.length ? m.toRecipients.map(formatAddress).join(', ') : null],
    ['CC', m.ccRecipients.length ? m.ccRecipients.map(formatAddress).join(', ') : null],
    ['Subject', m.subject],
    ['Thread-Topic', m.subject],
    ['Thread-Index', m.conversationIndex.length ? m.conversationIndex.toString('base64') : null],
    ['Date', rfc2822Date(m.sentDateTime ?? m.receivedDateTime)],
    ['Message-ID', m.internetMessageId],
    ['In-Reply-To', m.inReplyTo],
    ['References', m.references.length ? m.references.join(' ') : null],
    ['X-MS-Has-Attach', m.attachments.some((a) => !a.isInline) ? 'yes' : null],
  ];
  const headers = list.filter((h): h is [string, string] => h[1] !== null).map(([name, value]) => ({ name, value }));
  const taken = new Set(headers.map((h) => h.name.toLowerCase()));
  for (const [name, value] of Object.entries(extra)) if (!taken.has(name.toLowerCase())) headers.push({ name, value });
  return [...headers, ...m.customHeaders];
}
