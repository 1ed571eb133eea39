import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationMessages, decisionsFor } from '../helpers/crm-views';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox } from '../helpers/mailbox';
import { startOutlookStack, type OutlookStack } from '../helpers/outlook-stack';

const MB = 1024 * 1024;
const pdf = (bytes: number, filename = 'scan.pdf') => ({ filename, contentType: 'application/pdf', contentBase64: Buffer.alloc(bytes, 7).toString('base64') });

describe('Gmail: attachments up to R17’s limit really send', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    stack = await startGmailStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('R17: 25 MB of attachments in total go out through the upload endpoint and sync back as the CRM’s record; one byte more is rejected', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'gmail25' });
    const sent = await s.send({ contactId: 'c-1', subject: 'Plans', text: 'both parts', attachments: [pdf(15 * MB, 'part-1.pdf'), pdf(10 * MB, 'part-2.pdf')] });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ sendStatus: 'sent' });
    expect((await s.sandbox.counters()).calls['messages.send']).toBe(1);
    const copy = stack.sandbox.control.getMessage(s.owner, sent.body.providerMessageId);
    expect(copy.rfcMessageId).toBe(sent.body.rfcMessageId);
    expect(copy.sizeEstimate).toBeGreaterThan(25 * MB);
    expect(await decisionsFor(stack, s.connectionId, sent.body.providerMessageId)).toMatchObject([{ ruleId: 'R22', reason: 'crm_record_matched', outcome: 'matched' }]);
    expect((await conversationMessages(stack, s.locationId, 'c-1')).map((m: { subject: string }) => m.subject)).toEqual(['Plans']);

    const over = await s.send({ contactId: 'c-1', subject: 'Too much', text: 'x', attachments: [pdf(15 * MB, 'part-1.pdf'), pdf(10 * MB + 1, 'part-2.pdf')] });
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({ code: 'ATTACHMENT_REJECTED', details: { file: 'part-2.pdf' } });
  }, 180_000);
});

describe('Outlook: attachments up to R17’s limit really send', () => {
  let stack: OutlookStack;
  beforeAll(async () => {
    stack = await startOutlookStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('R17: a 3 MB pdf goes out through an upload session and syncs back as the CRM’s record; one byte more is rejected', async () => {
    const s = await setupMailbox(stack, 'outlook', { tag: 'outlook3' });
    const sent = await s.send({ contactId: 'c-1', subject: 'Scan', text: 'attached', attachments: [pdf(3 * MB), pdf(100 * 1024, 'cover.pdf')] });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ sendStatus: 'sent' });
    const { calls } = await s.sandbox.counters();
    expect(calls['attachments.createUploadSession']).toBe(1);
    expect(calls['attachments.add']).toBe(1);
    const [copy] = await stack.graph.control.listMessages(s.owner, { folder: 'sentitems' });
    expect(copy).toMatchObject({ internetMessageId: sent.body.rfcMessageId });
    expect(await decisionsFor(stack, s.connectionId, String(copy!.immutableId))).toMatchObject([{ ruleId: 'R22', reason: 'crm_record_matched', outcome: 'matched' }]);
    const messages = await conversationMessages(stack, s.locationId, 'c-1');
    expect(messages.map((m: { subject: string; attachments: { filename: string; size: number }[] }) => [m.subject, m.attachments.map((a) => [a.filename, a.size])])).toEqual([
      ['Scan', [['scan.pdf', 3 * MB], ['cover.pdf', 100 * 1024]]],
    ]);

    const over = await s.send({ contactId: 'c-1', subject: 'Too big', text: 'x', attachments: [pdf(3 * MB + 1)] });
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({ code: 'ATTACHMENT_REJECTED', details: { file: 'scan.pdf' } });
  }, 180_000);
});
