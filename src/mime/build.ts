import MailComposer from 'nodemailer/lib/mail-composer';
import { requireMessageId } from './message-id';
import type { MailboxInput, OutgoingEmail } from './types';

export interface BuildMimeOptions {
  /**
   * Keep the Bcc header in the raw message (default true). Gmail reads the recipients from the
   * headers and strips Bcc itself on send; the sender's Sent copy keeps it, which is what lets the
   * engine see who was blind-copied.
   */
  keepBcc?: boolean;
}

export class MimeBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MimeBuildError';
  }
}

function mailboxes(list: MailboxInput[]): { address: string; name: string }[] {
  return list.map((m) => ({ address: m.address, name: m.name ?? '' }));
}

/** Builds the RFC 5322 message with nodemailer's MailComposer; returns the bytes and the Message-ID used. */
export async function buildMime(input: OutgoingEmail, options: BuildMimeOptions = {}): Promise<{ raw: Buffer; messageId: string }> {
  const messageId = requireMessageId(input.messageId, 'messageId');
  if (input.to.length + input.cc.length + input.bcc.length === 0) {
    throw new MimeBuildError('a message needs at least one To, Cc or Bcc recipient');
  }
  const composer = new MailComposer({
    from: { address: input.from.address, name: input.from.name ?? '' },
    to: mailboxes(input.to),
    cc: mailboxes(input.cc),
    bcc: mailboxes(input.bcc),
    subject: input.subject,
    text: input.text,
    html: input.html,
    messageId,
    inReplyTo: input.inReplyTo === undefined ? undefined : requireMessageId(input.inReplyTo, 'inReplyTo'),
    references: input.references?.map((r) => requireMessageId(r, 'references')),
    date: input.date,
    attachments: input.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
    // Content only ever comes as buffers and strings from the CRM; never let it name a file or URL to read.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const node = composer.compile();
  node.keepBcc = options.keepBcc ?? true;
  const raw = await node.build();
  return { raw, messageId };
}
