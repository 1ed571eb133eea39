import type { gmail_v1 } from 'googleapis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxClients, startGmailSandbox, type GmailSandbox } from '../src/gmail';

const mime = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n`).toString('base64url');

describe('Gmail sandbox: drafts with googleapis', () => {
  let sandbox: GmailSandbox;
  let gmail: gmail_v1.Gmail;
  const owner = 'drafter@gmail.test';
  const friend = 'friend@gmail.test';

  beforeAll(async () => {
    sandbox = await startGmailSandbox();
    gmail = sandboxClients(sandbox, sandbox.control.createAccount(owner, { name: 'Drafter' }).refreshToken).gmail;
    sandbox.control.createAccount(friend);
  });
  afterAll(() => sandbox.close());

  it('each save is a new DRAFT message (the previous one deleted); sending keeps the last id, swaps DRAFT for SENT and delivers', async () => {
    const start = (await gmail.users.getProfile({ userId: 'me' })).data.historyId!;
    const created = await gmail.users.drafts.create({ userId: 'me', requestBody: { message: { raw: mime([`To: ${friend}`, 'Subject: Plan', '', 'first words']) } } });
    expect(created.data).toEqual({ id: expect.stringMatching(/^r\d+$/), message: { id: expect.any(String), threadId: expect.any(String), labelIds: ['DRAFT'] } });
    const draftId = created.data.id!;
    const firstId = created.data.message!.id!;

    const updated = await gmail.users.drafts.update({ userId: 'me', id: draftId, requestBody: { message: { raw: mime([`To: ${friend}`, 'Subject: Plan', '', 'more words']) } } });
    const secondId = updated.data.message!.id!;
    expect(updated.data.id).toBe(draftId);
    expect(secondId).not.toBe(firstId);
    expect(sandbox.control.listMessages(owner).map((m) => m.id)).toEqual([secondId]);

    const sent = await gmail.users.drafts.send({ userId: 'me', requestBody: { id: draftId } });
    expect(sent.data).toEqual({ id: secondId, threadId: expect.any(String), labelIds: ['SENT'] });
    const [copy] = sandbox.control.listMessages(friend);
    expect(copy).toMatchObject({ labelIds: ['INBOX', 'UNREAD'], subject: 'Plan' });
    await expect(gmail.users.drafts.get({ userId: 'me', id: draftId })).rejects.toMatchObject({ status: 404 });

    const history = await gmail.users.history.list({ userId: 'me', startHistoryId: start });
    const records = (history.data.history ?? []).map((h) => ({
      added: h.messagesAdded?.map((a) => [a.message!.id, a.message!.labelIds]),
      deleted: h.messagesDeleted?.map((d) => d.message!.id),
      labelsAdded: h.labelsAdded?.map((l) => [l.message!.id, l.labelIds]),
      labelsRemoved: h.labelsRemoved?.map((l) => [l.message!.id, l.labelIds]),
    }));
    expect(records).toEqual([
      { added: [[firstId, ['DRAFT']]] },
      { added: [[secondId, ['DRAFT']]] },
      { deleted: [firstId] },
      { labelsAdded: [[secondId, ['SENT']]] },
      { labelsRemoved: [[secondId, ['DRAFT']]] },
    ].map((r) => ({ added: undefined, deleted: undefined, labelsAdded: undefined, labelsRemoved: undefined, ...r })));
    expect(sandbox.control.counters(owner).sendsAccepted).toBe(1);
  });
});
