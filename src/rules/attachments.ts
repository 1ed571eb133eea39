/** R17: provider attachment limits, checked before a CRM send and on every message that would sync. */
import type { Provider } from '../provider';
import type { AttachmentFacts } from './types';

const MB = 1024 * 1024;
/** Gmail counts the total of all attachments of one message. */
export const GMAIL_MAX_TOTAL_BYTES = 25 * MB;
/** Outlook limits each attachment on its own, and only these types sync. */
export const OUTLOOK_MAX_FILE_BYTES = 3 * MB;
export const OUTLOOK_EXTENSIONS = ['jpg', 'jpeg', 'png', 'mp4', 'mpeg', 'zip', 'rar', 'pdf', 'doc', 'docx', 'txt'] as const;

export type AttachmentLimit =
  | { kind: 'total_size'; maxBytes: number }
  | { kind: 'file_size'; maxBytes: number }
  | { kind: 'file_type'; allowed: string[] };

export type AttachmentCheck =
  | { ok: true }
  | { ok: false; code: 'ATTACHMENT_REJECTED'; file: string; limit: AttachmentLimit; message: string };

/** The check the send path runs before any provider call; the same limits gate incoming mail (`attachment_limit`). */
export function checkOutgoingAttachments(provider: Provider, attachments: readonly AttachmentFacts[]): AttachmentCheck {
  return provider === 'gmail' ? checkGmail(attachments) : checkOutlook(attachments);
}

function checkGmail(attachments: readonly AttachmentFacts[]): AttachmentCheck {
  let total = 0;
  for (const file of attachments) {
    total += file.size;
    if (total > GMAIL_MAX_TOTAL_BYTES) {
      return reject(file.filename, { kind: 'total_size', maxBytes: GMAIL_MAX_TOTAL_BYTES },
        `Attachments total more than 25 MB from "${file.filename}" on; Gmail allows 25 MB per message.`);
    }
  }
  return { ok: true };
}

function checkOutlook(attachments: readonly AttachmentFacts[]): AttachmentCheck {
  for (const file of attachments) {
    if (!(OUTLOOK_EXTENSIONS as readonly string[]).includes(extensionOf(file.filename))) {
      return reject(file.filename, { kind: 'file_type', allowed: [...OUTLOOK_EXTENSIONS] },
        `"${file.filename}" is not a type Outlook sync allows (${OUTLOOK_EXTENSIONS.join(', ')}).`);
    }
    if (file.size > OUTLOOK_MAX_FILE_BYTES) {
      return reject(file.filename, { kind: 'file_size', maxBytes: OUTLOOK_MAX_FILE_BYTES },
        `"${file.filename}" is larger than 3 MB; Outlook allows 3 MB per attachment.`);
    }
  }
  return { ok: true };
}

function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot < 0 ? '' : filename.slice(dot + 1).trim().toLowerCase();
}

function reject(file: string, limit: AttachmentLimit, message: string): AttachmentCheck {
  return { ok: false, code: 'ATTACHMENT_REJECTED', file, limit, message };
}
