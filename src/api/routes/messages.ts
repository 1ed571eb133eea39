import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError, notFound } from '../errors';
import { sendFromCrm } from '../../messages/send';
import { viewMessages } from '../../messages/view';
import type { AppDeps } from '../deps';
import { Email, errorResponses, Id } from '../schemas';

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
  attachments: Type.Array(Type.Object({ filename: Type.String(), contentType: Type.String(), size: Type.Integer() })),
  rfcMessageId: Type.String(),
  inReplyTo: Nullable(Type.String()),
  references: Type.Array(Type.String()),
  providerMessageId: Nullable(Type.String()),
  threadKey: Nullable(Type.String()),
  ruleId: Type.String(),
  messageAt: Type.String(),
  createdAt: Type.String(),
});

const SendBody = Type.Object(
  {
    contactId: Id,
    to: Type.Optional(Type.Array(Email, { minItems: 1, maxItems: 100 })),
    cc: Type.Optional(Type.Array(Email, { maxItems: 100 })),
    bcc: Type.Optional(Type.Array(Email, { maxItems: 100 })),
    subject: Type.Optional(Type.String({ maxLength: 998 })),
    text: Type.Optional(Type.String({ maxLength: 5_000_000 })),
    html: Type.Optional(Type.String({ maxLength: 5_000_000 })),
    attachments: Type.Optional(
      Type.Array(
        Type.Object(
          { filename: Type.String({ minLength: 1, maxLength: 255 }), contentType: Type.String({ minLength: 3, maxLength: 255 }), contentBase64: Type.String() },
          { additionalProperties: false },
        ),
        { maxItems: 50 },
      ),
    ),
    replyToMessageId: Type.Optional(Id),
  },
  { additionalProperties: false },
);

export const messageRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.post(
      '/v1/connections/:id/messages',
      {
        config: { auth: 'apiKey' },
        bodyLimit: 40 * 1024 * 1024,
        schema: {
          tags: ['messages'],
          description:
            'Send an email from the CRM through the connected mailbox (R1). Send an Idempotency-Key header: a retried request with the same key and body returns the same message and never sends twice. 201: sent. 202: accepted, but the provider\'s answer was lost; sendStatus is unknown until the Message-ID lookup settles it as sent or failed (read the message again; never retry it with a new key).',
          params: Type.Object({ id: Id }),
          headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255 })) }),
          body: SendBody,
          response: { 200: MessageOut, 201: MessageOut, 202: MessageOut, ...errorResponses },
        },
      },
      async (request, reply) => {
        const key = request.headers['idempotency-key'] ?? null;
        const { message, replayed } = await sendFromCrm(deps, request.params.id, request.body, key);
        // 202: accepted, but the provider's answer is not known yet; the message settles as sent or failed.
        const settling = message.sendStatus === 'unknown' || message.sendStatus === 'pending';
        return reply.code(settling ? 202 : replayed ? 200 : 201).send(message);
      },
    );

    app.get(
      '/v1/conversations/:id/messages',
      {
        config: { auth: 'apiKey' },
        schema: { tags: ['conversations'], params: Type.Object({ id: Id }), response: { 200: Type.Object({ messages: Type.Array(MessageOut) }), ...errorResponses } },
      },
      async (request) => {
        const conversation = await deps.db.selectFrom('conversations').select('id').where('id', '=', request.params.id).executeTakeFirst();
        if (!conversation) throw notFound('conversation', request.params.id);
        const rows = await deps.db.selectFrom('messages').selectAll().where('conversation_id', '=', request.params.id).orderBy('message_at').orderBy('created_at').execute();
        return { messages: await viewMessages(deps.db, rows) };
      },
    );

    app.get(
      '/v1/locations/:locationId/conversations',
      {
        config: { auth: 'apiKey' },
        schema: {
          tags: ['conversations'],
          params: Type.Object({ locationId: Id }),
          querystring: Type.Object({ contactId: Type.Optional(Id) }, { additionalProperties: false }),
          response: {
            200: Type.Object({
              conversations: Type.Array(
                Type.Object({ id: Type.String(), locationId: Type.String(), contactId: Type.String(), messageCount: Type.Integer(), lastMessageAt: Nullable(Type.String()) }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const location = await deps.db.selectFrom('locations').select('id').where('id', '=', request.params.locationId).executeTakeFirst();
        if (!location) throw new ApiError('NOT_FOUND', `location ${request.params.locationId} does not exist`);
        let query = deps.db
          .selectFrom('conversations as c')
          .leftJoin('messages as m', 'm.conversation_id', 'c.id')
          .select((eb) => ['c.id', 'c.location_id', 'c.contact_id', 'c.last_message_at', eb.fn.count<string>('m.id').as('n')])
          .where('c.location_id', '=', request.params.locationId)
          .groupBy('c.id')
          .orderBy('c.created_at');
        if (request.query.contactId) query = query.where('c.contact_id', '=', request.query.contactId);
        const rows = await query.execute();
        return {
          conversations: rows.map((r) => ({
            id: r.id, locationId: r.location_id, contactId: r.contact_id, messageCount: Number(r.n), lastMessageAt: r.last_message_at?.toISOString() ?? null,
          })),
        };
      },
    );
  };
