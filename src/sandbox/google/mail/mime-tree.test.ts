import { describe, expect, it } from 'vitest';
import { decodeWords, rewriteHeaders, splitMessage } from './headers';
import { findPart, parseMimeTree } from './mime-tree';

const raw = Buffer.from(
  [
    'From: =?UTF-8?B?SsO8cmdlbg==?= <j@x.test>',
    'Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= aus',
    '  Berlin',
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
    'Hallo =C3=BC=',
    'ber',
    '--inner',
    'Content-Type: text/html',
    '',
    '<p>Hallo</p>',
    '--inner--',
    '--outer',
    "Content-Type: application/pdf; name*=utf-8''R%C3%A9sum%C3%A9.pdf",
    'Content-Disposition: attachment',
    'Content-Transfer-Encoding: base64',
    '',
    'JVBERi0x',
    'LjQ=',
    '--outer--',
    '',
  ].join('\r\n'),
);

describe('parseMimeTree', () => {
  it('builds the part tree with decoded contents and Gmail part ids', () => {
    const tree = parseMimeTree(raw);
    expect(tree.mimeType).toBe('multipart/mixed');
    expect(tree.children.map((c) => c.mimeType)).toEqual(['multipart/alternative', 'application/pdf']);
    expect(findPart(tree, '0.0')?.content.toString('utf8')).toBe('Hallo über');
    expect(findPart(tree, '0.1')?.content.toString('utf8')).toBe('<p>Hallo</p>');
    const pdf = findPart(tree, '1')!;
    expect(pdf.filename).toBe('Résumé.pdf');
    expect(pdf.content.toString('latin1')).toBe('%PDF-1.4');
  });

  it('decodes encoded words across folded lines', () => {
    const { fields } = splitMessage(raw);
    expect(fields.map((f) => decodeWords(f.value)).slice(0, 2)).toEqual(['Jürgen <j@x.test>', 'Grüße aus Berlin']);
  });

  it('rewrites headers and leaves the body bytes alone', () => {
    const out = rewriteHeaders(raw, (fields) => fields.filter((f) => f.name !== 'From'));
    expect(out.toString('latin1').startsWith('Subject:')).toBe(true);
    expect(splitMessage(out).body.equals(splitMessage(raw).body)).toBe(true);
  });
});
