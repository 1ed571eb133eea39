import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError, notFound } from '../errors';
import { viewMessages } from '../../conversations/message-view';
import { conversationExists, listLocationConversations } from '../../db/repositories/conversations';
import { locationExists } from '../../db/repositories/directory';
import { listConversationMessages, listConversationThreadMembers } from '../../db/repositories/messages';
import { groupThreads } from '../../conversations/threads';
import type { AppDeps } from '../deps';
import { errorResponses, Id, NextCursor, PageQuery } from '../schemas';
import { DEFAULT_LIMIT, pageOf, pageOfSorted, startAfter } from '../../pagination/cursor';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const MessageOut = Type.Object({
  id: Type.String(),
  conversationId: Type.String(),
  locationId: Type.String(),
  connectionId: Type.String(),
  direction: Type.String(),
  source: Type.String(),
  sendStatus: Nullable(Type.Union([Type.Literal('pending'), Type.Literal('unknown'), Type.Literal('sent'), Type.Literal('failed')], { description: "A CRM send: pending, then sent or failed; unknown while the provider's answer was lost and the Message-ID lookup has not settled it yet (never retry such a send with a new Idempotency-Key)." })),
  sendError: Nullable(Type.String()),
  from: Type.String(),
  fromName: Nullable(Type.String()),
  to: Type.Array(Type.String()),
  cc: Type.Array(Type.String()),
  bcc: Type.Array(Type.String()),
  subject: Type.String(),
  text: Nullable(Type.String()),
  html: Nullable(Type.String()),
  attachments: Type.Array(Type.Object({ id: Type.String({ description: 'GET /v1/messages/:id/attachments/:attachmentId downloads it' }), filename: Type.String(), contentType: Type.String(), size: Type.Integer() })),
  rfcMessageId: Type.String(),
  inReplyTo: Nullable(Type.String()),
  references: Type.Array(Type.String()),
  providerMessageId: Nullable(Type.String()),
  threadKey: Nullable(Type.String()),
  ruleId: Type.String(),
  read: Nullable(Type.Boolean({ description: 'Read in the mailbox; null when not known yet (e.g. a CRM send before its Sent copy syncs)' })),
  labels: Nullable(Type.Array(Type.String(), { description: 'Gmail: the label ids' })),
  folder: Nullable(Type.String({ description: "Outlook: the folder's well-known name (inbox, sentitems, deleteditems) or its display name" })),
  deletedAt: Nullable(Type.String({ description: 'When the message was seen deleted in the mailbox (trash or for good)' })),
  deletion: Nullable(Type.Union([Type.Literal('trash'), Type.Literal('permanent')])),
  messageAt: Type.String(),
  createdAt: Type.String(),
});

export const conversationRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/v1/conversations/:id/messages',
      {
        config: { auth: 'apiKey' },
        schema: {
          tags: ['conversations'],
          description: 'The conversation\'s messages, oldest first (messageAt, then id); `threadKey`: one provider thread\'s.',
          params: Type.Object({ id: Id }),
          querystring: Type.Object({ threadKey: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })), ...PageQuery }, { additionalProperties: false }),
          response: { 200: Type.Object({ messages: Type.Array(MessageOut), nextCursor: NextCursor }), ...errorResponses },
        },
      },
      async (request) => {
        if (!(await conversationExists(deps.db, request.params.id))) throw notFound('conversation', request.params.id);
        const { limit = DEFAULT_LIMIT, cursor, threadKey } = request.query;
        const list = `messages:${request.params.id}`;
        const rows = await listConversationMessages(deps.db, request.params.id, { threadKey }, startAfter(list, cursor), limit + 1);
        const page = pageOf(list, rows, limit, (r) => ({ key: r.cursorKey, id: r.id }));
        return { messages: await viewMessages(deps.db, page.items), nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/v1/conversations/:id/threads',
      {
        config: { auth: 'apiKey' },
        schema: {
          tags: ['conversations'],
          description:
            "The conversation's messages grouped by thread (R21): one thread per provider thread, joined where a message answers one already stored (In-Reply-To / References), as after a subject edit or an Outlook regrouping. Threads oldest first (first message, then its id); each lists its message ids oldest first (read them with GET /v1/messages/:id).",
          params: Type.Object({ id: Id }),
          querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
          response: {
            200: Type.Object({
              threads: Type.Array(
                Type.Object({
                  threadKey: Type.String(),
                  providerThreadIds: Type.Array(Type.String()),
                  subject: Type.String(),
                  messageCount: Type.Integer(),
                  firstMessageAt: Type.String(),
                  lastMessageAt: Type.String(),
                  messageIds: Type.Array(Type.String()),
                }),
              ),
              nextCursor: NextCursor,
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        if (!(await conversationExists(deps.db, request.params.id))) throw notFound('conversation', request.params.id);
        const { limit = DEFAULT_LIMIT, cursor } = request.query;
        const list = `threads:${request.params.id}`;
        const rows = await listConversationThreadMembers(deps.db, request.params.id);
        const threads = groupThreads(
          rows.map((r) => ({ id: r.id, providerThreadId: r.provider_thread_id, rfcMessageId: r.rfc_message_id, inReplyTo: r.in_reply_to, references: r.references, messageAt: r.message_at, subject: r.subject })),
        );
        const page = pageOfSorted(list, threads, limit, startAfter(list, cursor), (t) => ({ key: t.firstMessageAt.toISOString(), id: t.messageIds[0]! }));
        return {
          threads: page.items.map((t) => ({ ...t, firstMessageAt: t.firstMessageAt.toISOString(), lastMessageAt: t.lastMessageAt.toISOString() })),
          nextCursor: page.nextCursor,
        };
      },
    );

    app.get(
      '/v1/locations/:locationId/conversations',
      {
        config: { auth: 'apiKey' },
        schema: {
          tags: ['conversations'],
          params: Type.Object({ locationId: Id }),
          description: 'The location\'s conversations in the order they began; `contactId`: that contact\'s.',
          querystring: Type.Object({ contactId: Type.Optional(Id), ...PageQuery }, { additionalProperties: false }),
          response: {
            200: Type.Object({
              conversations: Type.Array(
                Type.Object({ id: Type.String(), locationId: Type.String(), contactId: Type.String(), messageCount: Type.Integer(), lastMessageAt: Nullable(Type.String()) }),
              ),
              nextCursor: NextCursor,
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        if (!(await locationExists(deps.db, request.params.locationId))) throw new ApiError('NOT_FOUND', `location ${request.params.locationId} does not exist`);
        const { limit = DEFAULT_LIMIT, cursor, contactId } = request.query;
        const list = `conversations:${request.params.locationId}`;
        const rows = await listLocationConversations(deps.db, request.params.locationId, { contactId }, startAfter(list, cursor), limit + 1);
        const page = pageOf(list, rows, limit, (r) => ({ key: r.cursorKey, id: r.id }));
        return {
          conversations: page.items.map(({ cursorKey: _, ...c }) => ({ ...c, lastMessageAt: c.lastMessageAt?.toISOString() ?? null })),
          nextCursor: page.nextCursor,
        };
      },
    );
  };
