import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { sendFromCrm } from '../../crm-send/send';
import type { AppDeps } from '../deps';
import { Email, errorResponses, Id } from '../schemas';
import { MessageOut } from './conversations';

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

export const crmSendRoutes =
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
  };
