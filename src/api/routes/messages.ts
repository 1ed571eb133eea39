import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Readable } from 'node:stream';
import { ApiError, notFound } from '../errors';
import { findAttachment } from '../../db/repositories/attachments';
import { markMessageRead } from '../../conversations/mark-read';
import { viewMessage } from '../../conversations/message-view';
import type { AppDeps } from '../deps';
import { errorResponses, Id } from '../schemas';
import { MessageOut } from './conversations';

/** Messages by id: read one, stream its attachments, mark it read or unread in the mailbox. */
export const messageRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/v1/messages/:id',
      {
        config: { auth: 'apiKey' },
        schema: { tags: ['messages'], description: 'One message, with its state in the mailbox (read, labels or folder, deletedAt).', params: Type.Object({ id: Id }), response: { 200: MessageOut, ...errorResponses } },
      },
      async (request) => {
        const message = await viewMessage(deps.db, request.params.id);
        if (!message) throw notFound('message', request.params.id);
        return message;
      },
    );

    app.get(
      '/v1/messages/:id/attachments/:attachmentId',
      {
        config: { auth: 'apiKey' },
        schema: {
          tags: ['messages'],
          description:
            "The attachment's bytes, streamed with its content type and file name. 409 ATTACHMENT_NOT_STORED: the bytes were left at the provider (a message over the read bound); read them in the mailbox.",
          params: Type.Object({ id: Id, attachmentId: Type.String({ pattern: '^[0-9]{1,18}$' }) }),
          response: { 200: Type.String({ contentMediaType: 'application/octet-stream' }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const attachment = await findAttachment(deps.db, request.params.id, request.params.attachmentId);
        if (!attachment) throw notFound('attachment', `${request.params.id}/${request.params.attachmentId}`);
        if (!attachment.content) {
          throw new ApiError('ATTACHMENT_NOT_STORED', `attachment ${attachment.filename} of message ${request.params.id} was left at the provider; it is not stored in mailsync`, { providerAttachmentId: attachment.provider_attachment_id });
        }
        return reply
          .type(attachment.content_type)
          .header('content-length', String(attachment.content.length))
          .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(attachment.filename)}`)
          .send(Readable.from([attachment.content]) as unknown as string);
      },
    );

    app.patch(
      '/v1/messages/:id',
      {
        config: { auth: 'apiKey' },
        schema: {
          tags: ['messages'],
          description:
            "Mark a synced message read or unread in the mailbox (Gmail messages.modify, Graph PATCH isRead), paced with the account's other provider calls. Answers once the provider has it, with the message as stored; emits message.updated (origin crm) when it changed. The change coming back through the mailbox's change stream is recognised and emits nothing more. 409 MESSAGE_NOT_IN_MAILBOX: a CRM send not yet sent, or a message deleted for good.",
          params: Type.Object({ id: Id }),
          body: Type.Object({ read: Type.Boolean() }, { additionalProperties: false }),
          response: { 200: MessageOut, ...errorResponses },
        },
      },
      async (request) => markMessageRead(deps, request.params.id, request.body.read),
    );
  };
