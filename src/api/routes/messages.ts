import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { markMessageRead } from '../../conversations/mark-read';
import { viewMessage } from '../../conversations/message-view';
import type { AppDeps } from '../deps';
import { notFound } from '../errors';
import { errorResponses, Id } from '../schemas';
import { MessageOut } from './conversations';

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
