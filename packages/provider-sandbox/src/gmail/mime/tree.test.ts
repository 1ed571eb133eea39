import { describe, expect, it } from 'vitest';
import { removeHeader } from './compose';
import { decodeWords, parseHeaderParams } from './decode';
import { findPart, mintAttachmentId, readAttachmentId, toMessagePart } from './payload';
import { parseMimeTree } from './tree';

const RAW = [
  'From: =?UTF-8?B?SsO8cmdlbg==?= <j@example.com>',
  'Subject: =?utf-8?q?Caf=C3=A9?= plan',
  'Bcc: hidden@example.com,',
  '  other@example.com',
  'Content-Type: multipart/mixed; boundary="outer"',
  '',
  'preamble',
  '--outer',
  'Content-Type: multipart/alternative; boundary=inner',
  '',
  '--inner',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Caf=C3=A9 =',
  'ok',
  '--inner',
  'Content-Type: text/html',
  '',
  '<p>hi</p>',
  '--inner--',
  '--outer',
  'Content-Type: application/pdf',
  "Content-Disposition: attachment; filename*=utf-8''r%C3%A9sum%C3%A9.pdf",
  'Content-Transfer-Encoding: base64',
  '',
  'JVBERi0xLjQ=',
  '--outer--',
  '',
].join('\r\n');

describe('MIME tree and Gmail payload', () => {
  const tree = parseMimeTree(Buffer.from(RAW));

  it('decodes headers, transfer encodings and RFC 2231 file names', () => {
    expect(tree.headers.slice(0, 3).map((h) => h.value)).toEqual(['Jürgen <j@example.com>', 'Café plan', 'hidden@example.com, other@example.com']);
    const plain = findPart(tree, '0.0')!;
    expect(plain.body.toString('utf8')).toBe('Café ok');
    const pdf = findPart(tree, '1')!;
    expect(pdf).toMatchObject({ mimeType: 'application/pdf', filename: 'résumé.pdf', isAttachment: true });
    expect(pdf.body.toString()).toBe('%PDF-1.4');
  });

  it('renders part ids, sizes, inline data and attachment ids like Gmail', () => {
    const payload = toMessagePart(tree, 'msg1');
    expect(payload).toMatchObject({ partId: '', mimeType: 'multipart/mixed', filename: '', body: { size: 0 } });
    expect(payload.parts![0]!.parts!.map((p) => [p.partId, p.mimeType, p.body!.size])).toEqual([['0.0', 'text/plain', 8], ['0.1', 'text/html', 9]]);
    expect(payload.parts![0]!.parts![1]!.body!.data).toBe(Buffer.from('<p>hi</p>').toString('base64url'));
    const attachment = payload.parts![1]!;
    expect(attachment.body).toEqual({ attachmentId: expect.any(String), size: 8 });
    expect(readAttachmentId(attachment.body!.attachmentId!)).toEqual({ messageId: 'msg1', partId: '1' });
  });

  it('mints a different attachment id on every view', () => {
    expect(mintAttachmentId('m', '1')).not.toBe(mintAttachmentId('m', '1'));
    expect(readAttachmentId('not-an-id')).toBeNull();
  });

  it('parses parameters with quotes and continuations', () => {
    expect(parseHeaderParams('Attachment; filename="a; b.txt"; size=3')).toEqual({ value: 'attachment', params: { filename: 'a; b.txt', size: '3' } });
    expect(parseHeaderParams("x/y; name*0*=utf-8''%C3%A9; name*1=t.txt").params.name).toBe('ét.txt');
    expect(decodeWords('=?utf-8?q?a?= =?utf-8?q?b?=')).toBe('ab');
  });

  it('removes a folded header without touching the body', () => {
    const stripped = removeHeader(Buffer.from(RAW), 'Bcc').toString();
    expect(stripped).not.toMatch(/Bcc:|other@example\.com/);
    expect(stripped.slice(stripped.indexOf('\r\n\r\n'))).toBe(RAW.slice(RAW.indexOf('\r\n\r\n')));
  });
});
