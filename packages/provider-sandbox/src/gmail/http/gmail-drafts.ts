import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest, invalidArgument, notFound, userRateLimited } from '../errors';
import { numericId } from '../ids';
import { deliverTo } from '../mail/delivery';
import { completeOutgoing } from '../mail/headers';
import { removeHeader } from '../mime/compose';
import type { SandboxState } from '../state';
import type { Mailbox } from '../store/mailbox';
import { parseMail, type StoredMessage } from '../store/message';
import { runGated } from './gate';
import { bodyOf, paramsOf, str } from './params';

const BASE = '/gmail/v1/users/:userId/drafts';

/** Draft ids look like Gmail's: `r` and a signed decimal. */
const newDraftId = () => `r${numericId(19)}`;

const draftView = (draftId: string, m: StoredMessage) => ({ id: draftId, message: { id: m.id, threadId: m.threadId, labelIds: [...m.labelIds] } });

function messageBody(req: FastifyRequest): { raw: Buffer; threadId?: string } {
  const message = bodyOf(req).message as Record<string, unknown> | undefined;
  const raw = str(message?.raw);
  if (!raw) throw badRequest("'raw' RFC822 payload message string or uploading message via /upload/* URL required", 'invalidArgument');
  const threadId = str(message?.threadId);
  return { raw: Buffer.from(raw, 'base64url'), ...(threadId ? { threadId } : {}) };
}

/** Every save of a draft is a new message with the DRAFT label (history: messageAdded; the previous one messageDeleted). */
async function save(mailbox: Mailbox, raw: Buffer, threadId?: string): Promise<StoredMessage> {
  const complete = completeOutgoing(raw, mailbox.name ? `${mailbox.name} <${mailbox.address}>` : mailbox.address, new Date());
  return mailbox.insert(complete, await parseMail(complete), { labels: ['DRAFT'], internalDate: Date.now(), ...(threadId ? { requestedThreadId: threadId } : {}) });
}

function draftOf(mailbox: Mailbox, draftId: string | undefined): { draftId: string; message: StoredMessage } {
  if (!draftId) throw invalidArgument('Invalid id value');
  const messageId = mailbox.drafts.get(draftId);
  const message = messageId ? mailbox.messages.get(messageId) : undefined;
  if (!message) throw notFound();
  return { draftId, message };
}

/**
 * users.drafts: create, update (a new message id per save), get, delete and send. Sending keeps the
 * draft's message id: DRAFT is removed and SENT added (history: labelRemoved, labelAdded), the internal
 * date becomes the send time, and sandbox recipients get their copies.
 */
export function registerDraftRoutes(app: FastifyInstance, state: SandboxState): void {
  app.post(BASE, (req) =>
    runGated(state, req, 'drafts.create', async ({ mailbox }) => {
      const body = messageBody(req);
      const message = await save(mailbox, body.raw, body.threadId);
      const draftId = newDraftId();
      mailbox.drafts.set(draftId, message.id);
      return draftView(draftId, message);
    }),
  );

  app.put(`${BASE}/:id`, (req) =>
    runGated(state, req, 'drafts.update', async ({ mailbox }) => {
      const { draftId, message: previous } = draftOf(mailbox, paramsOf(req).id);
      const body = messageBody(req);
      const message = await save(mailbox, body.raw, body.threadId ?? previous.threadId);
      mailbox.drafts.set(draftId, message.id);
      mailbox.remove(previous.id);
      return draftView(draftId, message);
    }),
  );

  app.get(`${BASE}/:id`, (req) =>
    runGated(state, req, 'drafts.get', ({ mailbox }) => {
      const { draftId, message } = draftOf(mailbox, paramsOf(req).id);
      return draftView(draftId, message);
    }),
  );

  app.delete(`${BASE}/:id`, async (req, reply) => {
    await runGated(state, req, 'drafts.delete', ({ mailbox }) => {
      const { draftId, message } = draftOf(mailbox, paramsOf(req).id);
      mailbox.drafts.delete(draftId);
      mailbox.remove(message.id);
    });
    return reply.code(204).send();
  });

  app.post(`${BASE}/send`, (req) =>
    runGated(state, req, 'drafts.send', async ({ mailbox }) => {
      const { draftId, message } = draftOf(mailbox, str(bodyOf(req).id));
      const recipients = [...new Set([...message.mail.to, ...message.mail.cc, ...message.mail.bcc])];
      if (recipients.length === 0) throw invalidArgument('Recipient address required');
      const fits = state.sendWindow(mailbox.address).check(Date.now(), 1, state.config.dailySendLimit);
      if (!fits.ok) throw userRateLimited(new Date(fits.retryAt), ' (Mail sending)');
      mailbox.drafts.delete(draftId);
      message.internalDate = Date.now();
      const sent = mailbox.modify(message.id, recipients.includes(mailbox.address) ? ['SENT', 'INBOX'] : ['SENT'], ['DRAFT'])!;
      await deliverTo(state, recipients.filter((r) => r !== mailbox.address), removeHeader(message.raw, 'Bcc'), message.internalDate);
      state.sendWindow(mailbox.address).spend(Date.now(), 1);
      state.counters.of(mailbox.address).sendsAccepted += 1;
      return { id: sent.id, threadId: sent.threadId, labelIds: [...sent.labelIds] };
    }),
  );
}
