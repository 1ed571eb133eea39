import { describe } from 'vitest';
import { link, input, inbound, runTable, sent, skippedAt, type Case } from './test-fixtures';

describe('R23 drafts and junk are not mail', () => {
  const cases: Case[] = [
    {
      name: 'R23: a draft reply in a linked thread does not sync as sent mail',
      input: input({ message: sent({ notMail: 'draft', inSent: false }), threadLinks: [link('L1', 'conv-1', 'a1')] }),
      expected: [skippedAt('c-L1', 'L1', 'R23', 'draft')],
    },
    {
      name: 'R23: a draft to an assigned contact does not sync (R5 waits for the send)',
      input: input({ message: sent({ notMail: 'draft', inSent: false }) }),
      expected: [skippedAt('c-L1', 'L1', 'R23', 'draft')],
    },
    {
      name: 'R23: mail from an assigned contact filed in Spam or Trash does not sync',
      input: input({ message: inbound({ notMail: 'junk' }) }),
      expected: [skippedAt('c-L1', 'L1', 'R23', 'junk')],
    },
    {
      name: 'R23: junk in a linked thread does not sync either',
      input: input({ message: inbound({ notMail: 'junk' }), threadLinks: [link('L1', 'conv-1', 'a1')] }),
      expected: [skippedAt('c-L1', 'L1', 'R23', 'junk')],
    },
  ];
  runTable(cases);
});
