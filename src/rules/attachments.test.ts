import { describe, expect, test } from 'vitest';
import type { Provider } from '../provider';
import { checkOutgoingAttachments, type AttachmentCheck } from './attachments';
import { MB } from './test-fixtures';
import type { AttachmentFacts } from './types';

const file = (filename: string, size: number): AttachmentFacts => ({ filename, size, contentType: 'application/octet-stream' });
const allowed = ['jpg', 'jpeg', 'png', 'mp4', 'mpeg', 'zip', 'rar', 'pdf', 'doc', 'docx', 'txt'];

describe('R17 checkOutgoingAttachments', () => {
  const cases: { name: string; provider: Provider; files: AttachmentFacts[]; expected: AttachmentCheck }[] = [
    { name: 'R17: no attachments pass on Gmail', provider: 'gmail', files: [], expected: { ok: true } },
    { name: 'R17: no attachments pass on Outlook', provider: 'outlook', files: [], expected: { ok: true } },
    {
      name: 'R17: Gmail: 25 MB in total passes, whatever the file types',
      provider: 'gmail', files: [file('a.exe', 10 * MB), file('b.mov', 15 * MB)], expected: { ok: true },
    },
    {
      name: 'R17: Gmail: the file that takes the total past 25 MB is named',
      provider: 'gmail', files: [file('a.pdf', 10 * MB), file('b.pdf', 15 * MB), file('c.pdf', 1)],
      expected: {
        ok: false, code: 'ATTACHMENT_REJECTED', file: 'c.pdf', limit: { kind: 'total_size', maxBytes: 25 * MB },
        message: 'Attachments total more than 25 MB from "c.pdf" on; Gmail allows 25 MB per message.',
      },
    },
    {
      name: 'R17: Outlook: every listed type up to 3 MB each passes, extension case ignored',
      provider: 'outlook', files: [...allowed.map((ext) => file(`f.${ext}`, 3 * MB)), file('SCAN.PDF', 1)], expected: { ok: true },
    },
    {
      name: 'R17: Outlook: a file over 3 MB is named with the per-file limit',
      provider: 'outlook', files: [file('small.pdf', 1), file('deck.pdf', 3 * MB + 1)],
      expected: {
        ok: false, code: 'ATTACHMENT_REJECTED', file: 'deck.pdf', limit: { kind: 'file_size', maxBytes: 3 * MB },
        message: '"deck.pdf" is larger than 3 MB; Outlook allows 3 MB per attachment.',
      },
    },
    {
      name: 'R17: Outlook: a type outside the list is named with the allowed types',
      provider: 'outlook', files: [file('invite.ics', 100)],
      expected: {
        ok: false, code: 'ATTACHMENT_REJECTED', file: 'invite.ics', limit: { kind: 'file_type', allowed },
        message: `"invite.ics" is not a type Outlook sync allows (${allowed.join(', ')}).`,
      },
    },
    {
      name: 'R17: Outlook: a file without an extension is rejected',
      provider: 'outlook', files: [file('README', 100)],
      expected: {
        ok: false, code: 'ATTACHMENT_REJECTED', file: 'README', limit: { kind: 'file_type', allowed },
        message: `"README" is not a type Outlook sync allows (${allowed.join(', ')}).`,
      },
    },
    {
      name: 'R17: Outlook: a double extension is judged by the last one',
      provider: 'outlook', files: [file('report.pdf.exe', 100)],
      expected: {
        ok: false, code: 'ATTACHMENT_REJECTED', file: 'report.pdf.exe', limit: { kind: 'file_type', allowed },
        message: `"report.pdf.exe" is not a type Outlook sync allows (${allowed.join(', ')}).`,
      },
    },
  ];
  for (const { name, provider, files, expected } of cases) {
    test(name, () => expect(checkOutgoingAttachments(provider, files)).toStrictEqual(expected));
  }
});
