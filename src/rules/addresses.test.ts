import { describe, expect, test } from 'vitest';
import { displayName, normalizeAddress, normalizeAddressList, normalizeSubject } from './addresses';

describe('addresses match contacts however they are written', () => {
  const cases: [string, string, string][] = [
    ['R2: a bare address is lower-cased and trimmed', '  Alice@Client.TEST ', 'alice@client.test'],
    ['R2: a display name is stripped', 'Alice Doe <alice@client.test>', 'alice@client.test'],
    ['R2: a quoted display name holding angle brackets is stripped', '"Doe, Alice <sales>" <Alice@Client.test>', 'alice@client.test'],
    ['R2: an address in angle brackets alone is unwrapped', '<alice@client.test>', 'alice@client.test'],
    ['R2: a trailing comment is stripped', 'alice@client.test (Alice Doe)', 'alice@client.test'],
    ['R2: a mailto: prefix is dropped', 'mailto:Alice@client.test', 'alice@client.test'],
    ['R2: an empty header value stays empty', '   ', ''],
  ];
  for (const [name, raw, expected] of cases) test(name, () => expect(normalizeAddress(raw)).toBe(expected));

  const names: [string, string, string | undefined][] = [
    ['R18: the display name of a new contact comes from the To header', 'New Prospect <new@prospect.test>', 'New Prospect'],
    ['R18: quotes and escapes around the name are removed', '"O\\"Brien, Pat" <pat@prospect.test>', 'O"Brien, Pat'],
    ['R18: a bare address has no name', 'new@prospect.test', undefined],
    ['R18: empty quotes give no name', '"" <new@prospect.test>', undefined],
  ];
  for (const [name, raw, expected] of names) test(name, () => expect(displayName(raw)).toBe(expected));

  test('R7: a recipient list keeps header order, drops repeats and empties', () => {
    expect(normalizeAddressList(['Bob <BOB@client.test>', 'alice@client.test', 'bob@client.test', ' '])).toStrictEqual([
      'bob@client.test',
      'alice@client.test',
    ]);
  });
});

describe('subjects compare without reply and forward prefixes', () => {
  const cases: [string, string, string][] = [
    ['R21: Re: is stripped', 'Re: Quote', 'Quote'],
    ['R21: stacked and mixed-case prefixes are all stripped', 'RE: Fwd: FW: re:Quote', 'Quote'],
    ['R21: German and Scandinavian prefixes are stripped', 'AW: SV: WG: Angebot', 'Angebot'],
    ['R21: counted prefixes are stripped', 'Re[2]: Re(3): Quote', 'Quote'],
    ['R21: whitespace is collapsed and case kept', '  Re:   Quote   for  ACME ', 'Quote for ACME'],
    ['R21: a prefix-like word inside the subject is kept', 'Re-order: 5 boxes', 'Re-order: 5 boxes'],
    ['R21: a word starting like a prefix is kept', 'Review: Q3 numbers', 'Review: Q3 numbers'],
    ['R21: a subject that is only a prefix becomes empty', 'Re: ', ''],
  ];
  for (const [name, raw, expected] of cases) test(name, () => expect(normalizeSubject(raw)).toBe(expected));
});
