import type { FastifyPluginAsync } from 'fastify';
import { WorkflowNotFoundError } from '@temporalio/client';
import { Type } from 'typebox';
import { ApiError } from '../errors';
import { createGmailPushVerifier, PushRejected } from '../../webhooks/gmail-push';
import { notifySignal } from '../../workflows/messages';
import { mailboxWorkflowId } from '../../workflows/state';
import type { AppDeps } from '../deps';
import { errorResponses } from '../schemas';

const Ack = Type.Object({ status: Type.String() });

export const webhookRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    const verify = createGmailPushVerifier({ certsUrl: deps.config.google.certsUrl, audience: deps.config.google.pushAudience });

    /** Pub/Sub push: verified, then one coalesced `notify` to the account's workflow. */
    app.post(
      '/webhooks/gmail',
      { config: { auth: 'none' }, schema: { tags: ['webhooks'], description: 'Google Pub/Sub push for Gmail watch notifications.', response: { 202: Ack, ...errorResponses } } },
      async (request, reply) => {
        let push;
        try {
          push = await verify(request.headers.authorization, request.body);
        } catch (err) {
          if (err instanceof PushRejected) throw new ApiError('UNAUTHORIZED', err.message);
          throw err;
        }
        const account = await deps.db.selectFrom('accounts').select(['id', 'provider']).where('provider', '=', 'gmail').where('address', '=', push.emailAddress).executeTakeFirst();
        if (account) {
          try {
            await deps.temporal.workflow.getHandle(mailboxWorkflowId('gmail', account.id)).signal(notifySignal, { source: 'push', hint: push.historyId });
          } catch (err) {
            // A mailbox with no live workflow has nothing to sync; acknowledge so Pub/Sub stops retrying.
            if (!(err instanceof WorkflowNotFoundError)) throw err;
          }
        }
        return reply.code(202).send({ status: 'accepted' });
      },
    );
  };
