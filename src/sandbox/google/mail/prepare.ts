import { simpleParser, type AddressObject, type EmailAddress } from 'mailparser';
import { messageIdTokens } from './headers';
import type { Mailbox, MessageSummary, PreparedMessage } from './message';
import { parseMimeTree } from './mime-tree';

function flatten(entries: EmailAddress[]): Mailbox[] {
  return entries.flatMap((entry) => {
    if (entry.group) return flatten(entry.group);
    return entry.address ? [{ address: entry.address.trim().toLowerCase(), name: entry.name.trim() }] : [];
  });
}

function addresses(value: AddressObject | AddressObject[] | undefined): Mailbox[] {
  if (!value) return [];
  return (Array.isArray(value) ? value : [value]).flatMap((o) => flatten(o.value));
}

function idList(value: string | string[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((v) => messageIdTokens(v));
}

/** Parses raw MIME once: mailparser for the decoded summary, the sandbox's own tree for Gmail payloads. */
export async function prepareMessage(raw: Buffer): Promise<PreparedMessage> {
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true });
  const summary: MessageSummary = {
    rfcMessageId: parsed.messageId ? `<${messageIdTokens(parsed.messageId)[0] ?? parsed.messageId}>` : '',
    subject: parsed.subject ?? '',
    from: addresses(parsed.from),
    replyTo: addresses(parsed.replyTo),
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    bcc: addresses(parsed.bcc),
    inReplyTo: idList(parsed.inReplyTo),
    references: idList(parsed.references),
    date: parsed.date ?? null,
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : null,
    attachments: parsed.attachments.map((a) => ({
      filename: a.filename ?? '',
      contentType: a.contentType,
      size: a.size,
      content: a.content,
    })),
  };
  return { raw, tree: parseMimeTree(raw), summary };
}

/** All envelope recipients named in the headers (Gmail reads recipients from To, Cc and Bcc). */
export function recipientsOf(summary: MessageSummary): string[] {
  return [...new Set([...summary.to, ...summary.cc, ...summary.bcc].map((m) => m.address))];
}

/** Gmail's snippet: the start of the text, whitespace collapsed and HTML-escaped. */
export function snippetOf(summary: MessageSummary): string {
  const source = summary.text || (summary.html ?? '').replace(/<style[\s\S]*?<\/style>|<[^>]+>/gi, ' ');
  const flat = source.replace(/\s+/g, ' ').trim().slice(0, 200);
  return flat.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
