import { describe, expect, test } from 'vitest';
import { closestReferencedLink, inactiveLinkReason, linksToBreakOnCrmReply } from './links';
import { inbound, link, referenced } from './test-fixtures';
import type { LinkFacts } from './types';

describe('R12 linksToBreakOnCrmReply', () => {
  const l1 = link('L1', 'conv-1', 'a1', { ruleId: 'R2' });
  const l2 = link('L2', 'conv-2', 'a2', { ruleId: 'R2' });
  const l3 = link('L3', 'conv-3', 'a3', { ruleId: 'R2', state: 'stopped', reason: 'disconnected' });
  const l10 = link('L10', 'conv-10', 'a10', { ruleId: 'R2' });
  const broken = (l: LinkFacts): LinkFacts => ({ ...l, state: 'broken', reason: 'replied_in_other_location' });
  const cases: { name: string; links: LinkFacts[]; locationId: string; expected: LinkFacts[] }[] = [
    { name: 'R12: a reply in L1 breaks the active link of L2', links: [l1, l2], locationId: 'L1', expected: [broken(l2)] },
    { name: 'R12: links already stopped stay as they are', links: [l1, l2, l3], locationId: 'L1', expected: [broken(l2)] },
    { name: 'R12: breaking is ordered by location id (code units, as everywhere)', links: [l2, l10, l1], locationId: 'L1', expected: [broken(l10), broken(l2)] },
    { name: 'R12: a thread linked only in the replying location breaks nothing', links: [l1], locationId: 'L1', expected: [] },
    { name: 'R12: a reply from a location with no link breaks all the others', links: [l1, l2], locationId: 'L9', expected: [broken(l1), broken(l2)] },
  ];
  for (const { name, links, locationId, expected } of cases) {
    test(name, () => expect(linksToBreakOnCrmReply(links, locationId)).toStrictEqual(expected));
  }

  test('R12: the input links are not changed', () => {
    const links = [l1, l2];
    linksToBreakOnCrmReply(links, 'L1');
    expect(links).toStrictEqual([l1, link('L2', 'conv-2', 'a2', { ruleId: 'R2' })]);
  });
});

describe('R14 R15 why a stopped link receives nothing', () => {
  const cases: [string, Partial<LinkFacts>, string][] = [
    ['R12: broken by a CRM reply elsewhere', { state: 'broken', reason: 'replied_in_other_location' }, 'replied_in_other_location'],
    ['R14: stopped by an account update', { state: 'stopped', reason: 'account_updated' }, 'account_updated'],
    ['R15: stopped by a disconnect', { state: 'stopped', reason: 'disconnected' }, 'link_disconnected'],
    ['R1: stopped for a reason the rules do not name', { state: 'stopped', reason: null }, 'link_inactive'],
  ];
  for (const [name, over, expected] of cases) {
    test(name, () => expect(inactiveLinkReason(link('L1', 'c', 'a', over))).toBe(expected));
  }
});

describe('R21 closestReferencedLink', () => {
  const m0 = referenced('<m0@x.test>', link('L1', 'conv-0', 'a1'));
  const m1 = referenced('<m1@x.test>', link('L1', 'conv-1', 'a1'));
  const m1b = referenced('<m1@x.test>', link('L1', 'conv-0b', 'a1'));
  const elsewhere = referenced('<m1@x.test>', link('L2', 'conv-2', 'a2'));
  const cases: { name: string; inReplyTo: string | null; references: string[]; links: typeof m0[]; expected: string | undefined }[] = [
    { name: 'R21: In-Reply-To is the closest ancestor', inReplyTo: '<m0@x.test>', references: ['<m1@x.test>'], links: [m1, m0], expected: 'conv-0' },
    { name: 'R21: without In-Reply-To the last reference is closest', inReplyTo: null, references: ['<m0@x.test>', '<m1@x.test>'], links: [m0, m1], expected: 'conv-1' },
    { name: 'R21: an In-Reply-To naming several parents counts each', inReplyTo: '<zz@x.test> <m1@x.test>', references: [], links: [m1], expected: 'conv-1' },
    { name: 'R21: ids match with or without angle brackets', inReplyTo: ' m0@x.test ', references: [], links: [m0], expected: 'conv-0' },
    { name: 'R21: two links for one id: the lowest conversation id', inReplyTo: '<m1@x.test>', references: [], links: [m1, m1b], expected: 'conv-0b' },
    { name: 'R21: links of other locations do not count', inReplyTo: '<m1@x.test>', references: [], links: [elsewhere], expected: undefined },
    { name: 'R21: nothing referenced, nothing found', inReplyTo: null, references: [], links: [m0, m1], expected: undefined },
  ];
  for (const { name, inReplyTo, references, links, expected } of cases) {
    test(name, () => {
      expect(closestReferencedLink(inbound({ inReplyTo, references }), links, 'L1')?.conversationId).toBe(expected);
    });
  }
});
