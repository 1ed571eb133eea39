import { simpleParser, type AddressObject } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { badRequest } from '../http/respond';
import { emptyDraft, recipient, storedAttachment, type Draft } from './compose';
import type { Recipient, StoredMessage } from './model';

const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}[\r\n]*$/;

function recipientsFrom(value: AddressObject | AddressObject[] | undefined): Recipient[] {
  const groups = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return groups.flatMap((g) => g.value).filter((a) => a.address).map((a) => recipient(a.address as string, a.name));
}

const idList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? value : value.split(/\s+/)).map((s) => s.trim()).filter(Boolean);

/**
 * A message posted as base64 MIME (Content-Type text/plain), the way to send with In-Reply-To and
 * References, which JSON internetMessageHeaders may not carry.
 */
export async function draftFromBase64Mime(text: string): Promise<Draft> {
  const compact = text.trim();
  if (!compact || !BASE64.test(compact)) throw badRequest('Invalid base64 string for MIME content.', 'ErrorMimeContentInvalidBase64String');
  const parsed = await simpleParser(Buffer.from(compact, 'base64'));
  const threadIndex = parsed.headers.get('thread-index');
  return {
    ...emptyDraft(),
    subject: parsed.subject ?? '',
    body: parsed.html ? { contentType: 'html', content: parsed.html } : { contentType: 'text', content: parsed.text ?? '' },
    from: recipientsFrom(parsed.from)[0] ?? null,
    toRecipients: recipientsFrom(parsed.to),
    ccRecipients: recipientsFrom(parsed.cc),
    bccRecipients: recipientsFrom(parsed.bcc),
    replyTo: recipientsFrom(parsed.replyTo),
    internetMessageId: parsed.messageId ?? null,
    inReplyTo: idList(parsed.inReplyTo)[0] ?? null,
    references: idList(parsed.references),
    attachments: parsed.attachments.map((a) =>
      storedAttachment(a.filename ?? 'attachment', a.contentType, a.content, a.contentDisposition === 'inline', a.cid ?? null),
    ),
    threadIndex: typeof threadIndex === 'string' ? Buffer.from(threadIndex, 'base64') : null,
  };
}

const mailbox = (r: Recipient) => ({ name: r.emailAddress.name, address: r.emailAddress.address });

/** The item's MIME content (`GET .../messages/{id}/$value`), as Exchange renders it. */
export async function messageToMime(m: StoredMessage): Promise<Buffer> {
  const composer = new MailComposer({
    from: m.from ? mailbox(m.from) : undefined,
    sender: m.sender && m.from && m.sender.emailAddress.address !== m.from.emailAddress.address ? mailbox(m.sender) : undefined,
    to: m.toRecipients.map(mailbox),
    cc: m.ccRecipients.map(mailbox),
    bcc: m.bccRecipients.map(mailbox),
    replyTo: m.replyTo.map(mailbox),
    subject: m.subject,
    ...(m.body.contentType === 'html' ? { html: m.body.content } : { text: m.body.content }),
    messageId: m.internetMessageId,
    inReplyTo: m.inReplyTo ?? undefined,
    references: m.references.length ? m.references : undefined,
    date: new Date(m.sentDateTime ?? m.receivedDateTime),
    headers: {
      'Thread-Topic': m.subject,
      'Thread-Index': m.conversationIndex.toString('base64'),
      ...Object.fromEntries(m.customHeaders.map((h) => [h.name, h.value])),
    },
    attachments: m.attachments.map((a) => ({
      filename: a.name,
      contentType: a.contentType,
      content: a.content,
      ...(a.contentId ? { cid: a.contentId } : {}),
      ...(a.isInline ? { contentDisposition: 'inline' as const } : {}),
    })),
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const node = composer.compile();
  node.keepBcc = true;
  return node.build();
}
