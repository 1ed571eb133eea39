import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { invalidArgument, notFound } from '../errors';
import { isMessageIdShape } from '../ids';
import { findPart, readAttachmentId } from '../mime/payload';
import type { SandboxState } from '../state';
import { encodePageToken } from '../store/history';
import { checkModifiableLabels } from '../store/labels';
import type { Mailbox } from '../store/mailbox';
import { labelList, messageView, parseFormat, rawView } from '../view';
import { runGated } from './gate';
import { pageOf, selectMessages } from './listing';
import { bodyOf, bool, list, maxResults, paramsOf, queryOf, str } from './params';

const BASE = '/gmail/v1/users/:userId/messages';

export function messageOf(mailbox: Mailbox, id: string | undefined) {
  if (!id || !isMessageIdShape(id)) throw invalidArgument('Invalid id value');
  const message = mailbox.messages.get(id);
  if (!message) throw notFound();
  return message;
}

const minimal = (m: { id: string; threadId: string; labelIds: Set<string> }) => ({ id: m.id, threadId: m.threadId, labelIds: [...m.labelIds] });

export function registerMessageRoutes(app: FastifyInstance, state: SandboxState): void {
  app.get(BASE, (req) =>
    runGated(state, req, 'messages.list', ({ mailbox }) => {
      const q = queryOf(req);
      const all = selectMessages(mailbox, { q: str(q.q), labelIds: list(q.labelIds), includeSpamTrash: bool(q.includeSpamTrash) });
      const { page, nextOffset } = pageOf(all, str(q.pageToken), maxResults(q.maxResults, 100));
      return {
        ...(page.length > 0 ? { messages: page.map((m) => ({ id: m.id, threadId: m.threadId })) } : {}),
        ...(nextOffset !== undefined ? { nextPageToken: encodePageToken(nextOffset) } : {}),
        resultSizeEstimate: all.length,
      };
    }),
  );

  app.get(`${BASE}/:id`, async (req, reply) => {
    const view = await runGated(state, req, 'messages.get', ({ mailbox }) => {
      const q = queryOf(req);
      const message = messageOf(mailbox, paramsOf(req).id);
      const format = parseFormat(str(q.format));
      return format === 'raw' ? rawView(message) : messageView(message, format, list(q.metadataHeaders));
    });
    return view instanceof Readable ? reply.type('application/json; charset=UTF-8').send(view) : view;
  });

  app.get(`${BASE}/:messageId/attachments/:id`, (req) =>
    runGated(state, req, 'messages.attachments.get', ({ mailbox }) => {
      const { messageId, id } = paramsOf(req);
      const message = messageOf(mailbox, messageId);
      const ref = readAttachmentId(id ?? '');
      if (!ref) throw invalidArgument('Invalid attachment token');
      const part = ref.messageId === message.id ? findPart(message.mail.tree, ref.partId) : null;
      if (!part || part.children.length > 0) throw notFound();
      return { size: part.body.length, data: part.body.toString('base64url') };
    }),
  );

  app.post(`${BASE}/:id/modify`, (req) =>
    runGated(state, req, 'messages.modify', ({ mailbox }) => {
      const body = bodyOf(req);
      const add = list(body.addLabelIds);
      const remove = list(body.removeLabelIds);
      checkModifiableLabels([...add, ...remove]);
      const message = messageOf(mailbox, paramsOf(req).id);
      return minimal(mailbox.modify(message.id, add, remove)!);
    }),
  );

  for (const [action, add, remove] of [['trash', ['TRASH'], []], ['untrash', [], ['TRASH']]] as const) {
    app.post(`${BASE}/:id/${action}`, (req) =>
      runGated(state, req, `messages.${action}`, ({ mailbox }) => {
        const message = messageOf(mailbox, paramsOf(req).id);
        return { ...minimal(mailbox.modify(message.id, [...add], [...remove])!), labelIds: labelList(message) };
      }),
    );
  }

  app.delete(`${BASE}/:id`, async (req, reply) => {
    await runGated(state, req, 'messages.delete', ({ mailbox }) => mailbox.remove(messageOf(mailbox, paramsOf(req).id).id));
    return reply.code(204).send();
  });
}
