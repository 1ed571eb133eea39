import type { FastifyInstance } from 'fastify';
import { invalidArgument, notFound } from '../errors';
import type { SandboxState } from '../state';
import { CHANGE_KINDS, decodePageToken, encodePageToken, toHistoryJson, type ChangeKind } from '../store/history';
import { labelResource, SYSTEM_LABELS } from '../store/labels';
import type { WatchConfig } from '../store/mailbox';
import { runGated } from './gate';
import { bodyOf, list, maxResults, queryOf, str } from './params';

const USER = '/gmail/v1/users/:userId';
const WATCH_DAYS_MS = 7 * 24 * 3600_000;

function historyTypes(value: unknown): ChangeKind[] {
  const types = list(value);
  for (const t of types) if (!CHANGE_KINDS.includes(t as ChangeKind)) throw invalidArgument(`Invalid value at 'history_types', "${t}"`);
  return types as ChangeKind[];
}

function startHistoryId(value: unknown): number {
  const raw = str(value);
  if (raw === undefined) throw invalidArgument('Missing required parameter: startHistoryId');
  if (!/^\d+$/.test(raw)) throw invalidArgument(`Invalid value at 'start_history_id' (TYPE_UINT64), "${raw}"`);
  return Number(raw);
}

function watchConfig(body: Record<string, unknown>): WatchConfig {
  const topicName = str(body.topicName) ?? '';
  if (!/^projects\/[^/]+\/topics\/[^/]+$/.test(topicName)) throw invalidArgument('Invalid topicName does not match projects/SOME_PROJECT/topics/SOME_TOPIC');
  const behavior = (str(body.labelFilterBehavior) ?? str(body.labelFilterAction) ?? 'include').toLowerCase();
  if (behavior !== 'include' && behavior !== 'exclude') throw invalidArgument(`Invalid labelFilterBehavior: ${behavior}`);
  return { topicName, labelIds: list(body.labelIds), labelFilterBehavior: behavior, expiration: Date.now() + WATCH_DAYS_MS };
}

export function registerMailboxRoutes(app: FastifyInstance, state: SandboxState): void {
  app.get(`${USER}/profile`, (req) =>
    runGated(state, req, 'getProfile', ({ mailbox }) => ({
      emailAddress: mailbox.address,
      messagesTotal: mailbox.messages.size,
      threadsTotal: mailbox.threadsTotal,
      historyId: String(mailbox.historyId),
    })),
  );

  app.get(`${USER}/history`, (req) =>
    runGated(state, req, 'history.list', ({ mailbox }) => {
      const q = queryOf(req);
      const pageToken = str(q.pageToken);
      const after = pageToken ? decodePageToken(pageToken) : undefined;
      if (after === null) throw invalidArgument('Invalid pageToken');
      const labelId = str(q.labelId);
      const page = mailbox.listHistory({
        startHistoryId: startHistoryId(q.startHistoryId),
        historyTypes: historyTypes(q.historyTypes),
        maxResults: maxResults(q.maxResults, 100),
        ...(after !== undefined ? { afterRecordId: after } : {}),
        ...(labelId ? { labelId } : {}),
      });
      if (page.expired) throw notFound();
      return {
        ...(page.records.length > 0 ? { history: page.records.map(toHistoryJson) } : {}),
        ...(page.lastId !== undefined ? { nextPageToken: encodePageToken(page.lastId) } : {}),
        historyId: String(mailbox.historyId),
      };
    }),
  );

  app.post(`${USER}/watch`, (req) =>
    runGated(state, req, 'watch', ({ mailbox }) => {
      mailbox.watch = watchConfig(bodyOf(req));
      // A successful watch publishes one notification straight away (provider-facts 1.5).
      state.pusher.notify(mailbox.address, () => mailbox.historyId);
      return { historyId: String(mailbox.historyId), expiration: String(mailbox.watch.expiration) };
    }),
  );

  app.post(`${USER}/stop`, async (req, reply) => {
    await runGated(state, req, 'stop', ({ mailbox }) => {
      mailbox.watch = null;
    });
    return reply.code(204).send();
  });

  app.get(`${USER}/labels`, (req) =>
    runGated(state, req, 'labels.list', ({ mailbox }) => {
      const used = new Set<string>(SYSTEM_LABELS);
      for (const m of mailbox.messages.values()) for (const l of m.labelIds) used.add(l);
      return { labels: [...used].map(labelResource) };
    }),
  );
}
