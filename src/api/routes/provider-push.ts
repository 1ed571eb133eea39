import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { WorkflowNotFoundError } from '@temporalio/client';
import { Type } from 'typebox';
import { ApiError } from '../errors';
import { bindLogIds } from '../log-ids';
import { findAccountByAddress, findAccountsBySubscription } from '../../db/repositories/accounts';
import { createGmailPushVerifier, PushRejected } from '../../provider-push/gmail-push';
import { clientStateMatches, parseNotifications } from '../../provider-push/outlook-notifications';
import { notifySignal } from '../../workflows/definitions';
import { mailboxWorkflowId } from '../../workflows/state';
import type { AppDeps } from '../deps';
import { errorResponses } from '../schemas';

const Ack = Type.Object({ status: Type.String() });

/** Inbound pushes from the providers (Gmail via Pub/Sub, Graph change notifications): each becomes a `notify` signal. */
export const providerPushRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    const { certsUrl, pushAudience, pushServiceAccount } = deps.config.google;
    const verify = createGmailPushVerifier({ certsUrl, audience: pushAudience, serviceAccount: pushServiceAccount });

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
        const account = await findAccountByAddress(deps.db, 'gmail', push.emailAddress);
        if (account) {
          bindLogIds(request, reply, { accountId: account.id, workflowId: mailboxWorkflowId('gmail', account.id) });
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

    /**
     * Graph change notifications and lifecycle events. Answers the validationToken handshake; for
     * notifications, checks clientState and signals `notify` well inside Graph's 3-second deadline.
     */
    app.post(
      '/webhooks/outlook',
      {
        config: { auth: 'none' },
        schema: {
          tags: ['webhooks'],
          description: 'Microsoft Graph change notifications (and the subscription validation handshake).',
          querystring: Type.Object({ validationToken: Type.Optional(Type.String({ maxLength: 4096 })) }),
          response: { 200: Type.String(), 202: Ack, ...errorResponses },
        },
      },
      async (request, reply) => {
        if (request.query.validationToken !== undefined) {
          return reply.code(200).type('text/plain; charset=utf-8').send(request.query.validationToken);
        }
        const notifications = parseNotifications(request.body);
        const ids = [...new Set(notifications.map((n) => n.subscriptionId))];
        const accounts = ids.length ? await findAccountsBySubscription(deps.db, 'outlook', ids) : [];
        if (accounts.length === 1) bindLogIds(request, reply, { accountId: accounts[0]!.id, workflowId: mailboxWorkflowId('outlook', accounts[0]!.id) });
        let rejected = 0;
        for (const account of accounts) {
          const mine = notifications.filter((n) => n.subscriptionId === account.subscription_id);
          const valid = mine.filter((n) => clientStateMatches(account.client_state, n.clientState));
          rejected += mine.length - valid.length;
          if (valid.length === 0) continue;
          const lifecycle = valid.find((n) => n.lifecycleEvent)?.lifecycleEvent;
          try {
            await deps.temporal.workflow.getHandle(mailboxWorkflowId('outlook', account.id)).signal(notifySignal, { source: 'push', ...(lifecycle ? { lifecycle } : {}) });
          } catch (err) {
            if (!(err instanceof WorkflowNotFoundError)) throw err;
          }
        }
        if (rejected > 0 && rejected === notifications.length) throw new ApiError('UNAUTHORIZED', 'clientState does not match');
        return reply.code(202).send({ status: 'accepted' });
      },
    );
  };
