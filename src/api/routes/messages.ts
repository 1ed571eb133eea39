import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { notFound } from '../errors';
import { viewMessage } from '../../conversations/message-view';
import type { AppDeps } from '../deps';
import { errorResponses, Id } from '../schemas';
import { MessageOut } from './conversations';

/** Reading messages by id. Only GET routes here. */
export const messageRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/v1/messages/:id',
      { config: { auth: 'apiKey' }, schema: { tags: ['messages'], params: Type.Object({ id: Id }), response: { 200: MessageOut, ...errorResponses } } },
      async (request) => {
        const message = await viewMessage(deps.db, request.params.id);
        if (!message) throw notFound('message', request.params.id);
        return message;
      },
    );
  };
