import MailComposer from 'nodemailer/lib/mail-composer';
import type { AddressList, OutgoingAttachment } from '../types';
import { splitEntity } from './tree';

export interface ComposeInput {
  from: string | { name: string; address: string };
  to?: AddressList;
  cc?: AddressList;
  bcc?: AddressList;
  subject?: string;
  text?: string;
  html?: string;
  attachments?: OutgoingAttachment[];
  inReplyTo?: string;
  references?: string[];
  messageId: string;
  date: Date;
}

export const asList = (value: AddressList | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const content = (c: string | Buffer): Buffer => (Buffer.isBuffer(c) ? c : Buffer.from(c, 'base64'));

/** Raw RFC 5322 bytes; Bcc is kept (the sender's copy shows it, recipients' copies have it stripped). */
export async function composeRaw(input: ComposeInput): Promise<Buffer> {
  const composer = new MailComposer({
    from: input.from,
    to: asList(input.to),
    cc: asList(input.cc),
    bcc: asList(input.bcc),
    subject: input.subject ?? '',
    text: input.text ?? (input.html ? undefined : ''),
    html: input.html,
    messageId: input.messageId,
    inReplyTo: input.inReplyTo,
    references: input.references,
    date: input.date,
    attachments: (input.attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, content: content(a.content) })),
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const node = composer.compile();
  node.keepBcc = true;
  return node.build();
}

const headerNamed = (name: string) => new RegExp(`^${name}:`, 'i');

/** Removes a header (with its folded lines) from the top-level header block, leaving the body bytes as they are. */
export function removeHeader(raw: Buffer, name: string): Buffer {
  const text = raw.toString('latin1');
  const { head } = splitEntity(text);
  const lines = head.split(/(?<=\n)/);
  const kept: string[] = [];
  let dropping = false;
  for (const line of lines) {
    if (/^[ \t]/.test(line) && dropping) continue;
    dropping = headerNamed(name).test(line);
    if (!dropping) kept.push(line);
  }
  const newHead = kept.join('').replace(/\r?\n$/, '');
  return Buffer.from(newHead + text.slice(head.length), 'latin1');
}

export function hasHeader(raw: Buffer, name: string): boolean {
  const { head } = splitEntity(raw.toString('latin1'));
  return head.split(/\r?\n/).some((line) => headerNamed(name).test(line));
}

/** Adds headers at the top, as a receiving server does with Delivered-To or a missing Message-ID. */
export function prependHeaders(raw: Buffer, headers: [string, string][]): Buffer {
  if (headers.length === 0) return raw;
  const lines = headers.map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return Buffer.concat([Buffer.from(lines, 'latin1'), raw]);
}
