import MailComposer from 'nodemailer/lib/mail-composer';

export type AddressInput = string | { address: string; name?: string };

export interface AttachmentInput {
  filename: string;
  contentType?: string;
  /** Buffer, or base64 text (as the HTTP control API carries it). */
  content: Buffer | string;
}

export interface ComposeInput {
  from: AddressInput;
  to?: AddressInput | AddressInput[];
  cc?: AddressInput | AddressInput[];
  bcc?: AddressInput | AddressInput[];
  subject?: string;
  text?: string;
  html?: string;
  attachments?: AttachmentInput[];
  inReplyTo?: string;
  references?: string | string[];
  messageId?: string;
  date?: Date | string | number;
}

export const asList = (value: AddressInput | AddressInput[] | undefined): AddressInput[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const toMailbox = (a: AddressInput) => (typeof a === 'string' ? a : { address: a.address, name: a.name ?? '' });

export const bracketed = (id: string): string => (id.trim().startsWith('<') ? id.trim() : `<${id.trim()}>`);

/** Builds RFC 5322 bytes with nodemailer, keeping Bcc (a sender's own copy shows it; delivery strips it). */
export async function composeRaw(input: ComposeInput): Promise<Buffer> {
  const references = input.references === undefined ? undefined : asList(input.references as string | string[]).map((r) => bracketed(String(r)));
  const composer = new MailComposer({
    from: toMailbox(input.from),
    to: asList(input.to).map(toMailbox),
    cc: asList(input.cc).map(toMailbox),
    bcc: asList(input.bcc).map(toMailbox),
    subject: input.subject ?? '',
    text: input.text,
    html: input.html,
    messageId: input.messageId ? bracketed(input.messageId) : undefined,
    inReplyTo: input.inReplyTo ? bracketed(input.inReplyTo) : undefined,
    references: references ?? (input.inReplyTo ? [bracketed(input.inReplyTo)] : undefined),
    date: input.date === undefined ? undefined : new Date(input.date),
    attachments: input.attachments?.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: typeof a.content === 'string' ? Buffer.from(a.content, 'base64') : a.content,
    })),
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const node = composer.compile();
  node.keepBcc = true;
  return node.build();
}
