import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGmailMailbox } from '../../src/providers/gmail/mailbox';
import type { MailboxAdapter } from '../../src/providers/types';
import { sandboxClients, startGmailSandbox, type GmailSandbox } from '@mailsync/provider-sandbox/gmail';

/** A send's retry looks its Message-ID up before sending again: only our own Sent copy may count as "already sent". */
describe('Gmail adapter: finding a sent message by its Message-ID', () => {
  let sandbox: GmailSandbox;
  let mailbox: MailboxAdapter;
  const owner = 'owner@gmail.test';
  const outsider = 'outsider@example.com';

  beforeAll(async () => {
    sandbox = await startGmailSandbox();
    const { gmail } = sandboxClients(sandbox, sandbox.control.createAccount(owner).refreshToken);
    mailbox = createGmailMailbox({ gmail, meter: { calls: 0, units: 0 }, pubsubTopic: 'projects/p/topics/t', maxInlineMessageBytes: 4 * 1024 * 1024, apiRoot: sandbox.url });
  });
  afterAll(() => sandbox.close());

  it('ignores a received message that carries the same Message-ID, and finds the Sent copy once it exists', async () => {
    const messageId = '<crm-1@mailsync.test>';
    await sandbox.control.deliver(owner, { from: outsider, to: [owner], subject: 'Same id', text: 'reused id', messageId });
    expect(await mailbox.findByRfcMessageId(messageId)).toBeNull();

    const raw = Buffer.from(`From: ${owner}\r\nTo: ${outsider}\r\nSubject: Original\r\nMessage-ID: ${messageId}\r\n\r\nfrom the CRM\r\n`);
    const sent = await mailbox.send({ raw, withoutAttachments: async () => raw, attachments: [] }, null);
    expect(await mailbox.findByRfcMessageId(messageId)).toEqual(sent);
  });
});
