import { describe, expect, it } from 'vitest';
import { bodyText } from './text';
import { parseMimeTree } from './tree';

const tree = (raw: string, encoding: BufferEncoding = 'utf8') => parseMimeTree(Buffer.from(raw, encoding));

describe('bodyText', () => {
  it('reads the plain part in its charset', () => {
    expect(bodyText(tree('Content-Type: text/plain; charset=iso-8859-1\r\n\r\nd\xe9j\xe0 vu', 'latin1'))).toBe('déjà vu');
  });

  it('falls back to the HTML part, without tags, scripts or entities', () => {
    const raw = 'Content-Type: text/html\r\n\r\n<style>p{}</style><p>Tom &amp; Jerry</p><b>&#33;</b>';
    expect(bodyText(tree(raw)).replace(/\s+/g, ' ').trim()).toBe('Tom & Jerry !');
  });

  it('skips attachments that happen to be text', () => {
    const raw = ['Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type: text/plain; name=a.txt', 'Content-Disposition: attachment', '', 'file', '--b--', ''].join('\r\n');
    expect(bodyText(tree(raw))).toBe('');
  });
});
