import { describe, expect, it } from 'vitest';
import { applyListing, dropFolder, finishFolder, parseFolderCursor, startCursor, toCursor, withLink, type WellKnownIds } from './folder-cursor';

const now = new Date('2026-06-01T12:00:00.000Z');
const since = '2026-06-01T11:00:00Z';
const initial = (id: string, from: string) => `first:${id}@${from}`;
const known: WellKnownIds = { inbox: 'F-inbox', sentitems: 'F-sent', skipped: ['F-drafts', 'F-junk', 'F-trash', 'F-outbox'] };

describe('the Outlook folder cursor', () => {
  it('starts with nothing listed, so the first read lists the tree', () => {
    expect(toCursor(startCursor(since))).toEqual({ since, turn: '', listedAt: '', sent: '', skip: '' });
  });

  it('R13: a first listing starts every folder at the stream’s start and keeps the well-known ids', () => {
    const c = applyListing(startCursor(since), ['F-inbox', 'F-sent', 'F-rules'], now, initial, known);
    expect(toCursor(c)).toEqual({
      since,
      turn: 'F-inbox',
      listedAt: now.toISOString(),
      sent: 'F-sent',
      skip: 'F-drafts F-junk F-trash F-outbox',
      'folder:F-inbox': `first:F-inbox@${since}`,
      'folder:F-rules': `first:F-rules@${since}`,
      'folder:F-sent': `first:F-sent@${since}`,
    });
  });

  it('R13: a folder found later starts at the stream’s start too; kept folders keep their links; gone folders are dropped', () => {
    let c = applyListing(startCursor(since), ['F-a', 'F-b'], now, initial, known);
    c = finishFolder(finishFolder(c, 'F-a', 'delta:a'), 'F-b', 'delta:b');
    expect(c.turn).toBe('');
    const later = new Date('2026-06-02T00:00:00.000Z');
    const relisted = applyListing(c, ['F-b', 'F-new'], later, initial);
    expect(relisted.links).toEqual({ 'F-b': 'delta:b', 'F-new': `first:F-new@${since}` });
    expect([relisted.turn, relisted.listedAt, relisted.sent]).toEqual(['F-b', later.toISOString(), 'F-sent']);
  });

  it('reads folders in id order, a page at a time: a nextLink keeps the turn, a deltaLink passes it on, the last one ends the round', () => {
    let c = applyListing(startCursor(since), ['F-c', 'F-a', 'F-b'], now, initial, known);
    expect(c.turn).toBe('F-a');
    c = withLink(c, 'F-a', 'next:a');
    expect([c.turn, c.links['F-a']]).toEqual(['F-a', 'next:a']);
    c = finishFolder(c, 'F-a', 'delta:a');
    expect(c.turn).toBe('F-b');
    c = finishFolder(finishFolder(c, 'F-b', 'delta:b'), 'F-c', 'delta:c');
    expect([c.turn, c.links]).toEqual(['', { 'F-a': 'delta:a', 'F-b': 'delta:b', 'F-c': 'delta:c' }]);
  });

  it('a folder gone mid-round is dropped and the turn passes on', () => {
    const c = applyListing(startCursor(since), ['F-a', 'F-b', 'F-c'], now, initial, known);
    expect(dropFolder(c, 'F-a')).toMatchObject({ turn: 'F-b', links: { 'F-b': `first:F-b@${since}`, 'F-c': `first:F-c@${since}` } });
    expect(dropFolder(c, 'F-c').turn).toBe('');
  });

  it('round-trips through the stored JSON', () => {
    const c = withLink(applyListing(startCursor(since), ['F-a', 'F-b'], now, initial, known), 'F-a', 'next:a');
    expect(parseFolderCursor(JSON.parse(JSON.stringify(toCursor(c))), now)).toEqual(c);
  });

  it('a cursor from before the folder walk keeps its Inbox and Sent Items links under their real ids at the next listing; other folders start from then (R13)', () => {
    const legacy = parseFolderCursor({ inbox: 'delta:inbox', sent: 'delta:sent', turn: 'sent' }, now);
    expect(legacy).toEqual({ since: now.toISOString(), turn: '', listedAt: '', sent: '', skip: '', links: { inbox: 'delta:inbox', sentitems: 'delta:sent' } });
    const listed = applyListing(legacy, ['F-inbox', 'F-sent', 'F-archive'], now, initial, known);
    expect(listed.links).toEqual({ 'F-inbox': 'delta:inbox', 'F-sent': 'delta:sent', 'F-archive': `first:F-archive@${now.toISOString()}` });
  });
});
