import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { sendFromCrm } from '../../crm-send/send';
import type { MessageView } from '../../conversations/message-view';
import { saveIdempotentResponse } from '../../db/repositories/idempotency-keys';
import { DomainError } from '../../domain-errors';
import { fromDomainError } from '../errors';
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
            'Send an email from the CRM through the connected mailbox (R1). Send an Idempotency-Key header (draft-ietf-httpapi-idempotency-key-header): a request with the same key and the same body (compared as canonical JSON: key order does not matter) gets the first request\'s response, status and body, with `Idempotent-Replayed: true`, and never sends twice; concurrent requests with one key make one send and all get its response. The same key with a different body: 422 IDEMPOTENCY_KEY_REUSED. Keys are kept 24 hours. 201: sent. 202: accepted, but the provider\'s answer was lost; sendStatus is unknown until the Message-ID lookup settles it as sent or failed (read the message again; never retry it with a new key).',
          params: Type.Object({ id: Id }),
          headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255 })) }),
          body: SendBody,
          response: { 200: MessageOut, 201: MessageOut, 202: MessageOut, ...errorResponses },
        },
      },
      async (request, reply) => {
        const key = request.headers['idempotency-key'] ?? null;
        try {
          const outcome = await sendFromCrm(deps, request.params.id, request.body, key);
          if (outcome.kind === 'stored') return reply.code(outcome.statusCode as 201).header('idempotent-replayed', 'true').send(outcome.body as unknown as MessageView);
          const { message, replayed } = outcome;
          // 202: accepted, but the provider's answer is not known yet; the message settles as sent or failed.
          const settling = message.sendStatus === 'unknown' || message.sendStatus === 'pending';
          const statusCode = settling ? 202 : replayed ? 200 : 201;
          if (key && !replayed) await saveIdempotentResponse(deps.db, { scope: request.params.id, key, messageId: message.id, statusCode, body: { ...message } });
          return reply.code(statusCode).send(message);
        } catch (err) {
          // A refusal after the key was claimed (the message exists, failed) is the first response too.
          const messageId = err instanceof DomainError ? err.details?.messageId : undefined;
          if (key && typeof messageId === 'string') {
            const refusal = fromDomainError(err as DomainError);
            await saveIdempotentResponse(deps.db, { scope: request.params.id, key, messageId, statusCode: refusal.status, body: { error: { code: refusal.code, message: refusal.message, details: refusal.details } } });
          }
          throw err;
        }
      },
    );
  };
