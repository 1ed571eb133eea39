import type { FastifyInstance } from 'fastify';
import { invalidArgument, notFound } from '../errors';
import { isMessageIdShape } from '../ids';
import type { SandboxState } from '../state';
import { encodePageToken } from '../store/history';
import { messageView, parseFormat } from '../view';
import { runGated } from './gate';
import { pageOf, selectMessages } from './listing';
import { bool, list, maxResults, paramsOf, queryOf, str } from './params';

const BASE = '/gmail/v1/users/:userId/threads';

export function registerThreadRoutes(app: FastifyInstance, state: SandboxState): void {
  app.get(`${BASE}/:id`, (req) =>
    runGated(state, req, 'threads.get', ({ mailbox }) => {
      const id = paramsOf(req).id ?? '';
      if (!isMessageIdShape(id)) throw invalidArgument('Invalid id value');
      const messages = mailbox.thread(id);
      if (messages.length === 0) throw notFound();
      const q = queryOf(req);
      const format = parseFormat(str(q.format));
      const historyId = Math.max(...messages.map((m) => m.historyId));
      return { id, historyId: String(historyId), messages: messages.map((m) => messageView(m, format, list(q.metadataHeaders))) };
    }),
  );

  app.get(BASE, (req) =>
    runGated(state, req, 'threads.list', ({ mailbox }) => {
      const q = queryOf(req);
      const matching = selectMessages(mailbox, { q: str(q.q), labelIds: list(q.labelIds), includeSpamTrash: bool(q.includeSpamTrash) });
      const threadIds = [...new Set(matching.map((m) => m.threadId))];
      const { page, nextOffset } = pageOf(threadIds, str(q.pageToken), maxResults(q.maxResults, 100));
      const threads = page.map((id) => {
        const messages = mailbox.thread(id);
        const last = messages[messages.length - 1]!;
        return { id, snippet: last.mail.snippet, historyId: String(Math.max(...messages.map((m) => m.historyId))) };
      });
      return {
        ...(threads.length > 0 ? { threads } : {}),
        ...(nextOffset !== undefined ? { nextPageToken: encodePageToken(nextOffset) } : {}),
        resultSizeEstimate: threadIds.length,
      };
    }),
  );
}
