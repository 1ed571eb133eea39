import type { gmail_v1 } from 'googleapis';
import { invalidArgument, notFound } from '../http/google-errors';
import { HISTORY_TYPES, type HistoryRecord, type HistoryType } from '../mail/history';
import { SYSTEM_LABELS } from '../mail/mailbox-store';
import type { SandboxState } from '../state';
import type { GmailCall } from './call';
import type { GmailRoute } from './messages-routes';
import { decodePageToken, encodePageToken, jsonBody, maxResults, stringList } from './params';

const USER = '/gmail/v1/users/:userId';
const WATCH_TTL_MS = 7 * 86_400_000;
const TOPIC = /^projects\/[^/]+\/topics\/[^/]+$/;

function profile(call: GmailCall): gmail_v1.Schema$Profile {
  const { store, address } = call.account;
  return { emailAddress: address, messagesTotal: store.messagesTotal, threadsTotal: store.threadsTotal, historyId: String(store.history.current) };
}

function labels(): gmail_v1.Schema$ListLabelsResponse {
  return { labels: SYSTEM_LABELS.map((id) => ({ id, name: id, type: 'system' })) };
}

function recordJson(record: HistoryRecord): gmail_v1.Schema$History {
  const ref = { id: record.message.id, threadId: record.message.threadId };
  const withLabels = { ...ref, labelIds: record.message.labelIds };
  const entry: gmail_v1.Schema$History = { id: String(record.id), messages: [ref] };
  if (record.type === 'messageAdded') entry.messagesAdded = [{ message: withLabels }];
  if (record.type === 'messageDeleted') entry.messagesDeleted = [{ message: withLabels }];
  if (record.type === 'labelAdded') entry.labelsAdded = [{ message: withLabels, labelIds: record.labelIds ?? [] }];
  if (record.type === 'labelRemoved') entry.labelsRemoved = [{ message: withLabels, labelIds: record.labelIds ?? [] }];
  return entry;
}

function uint64(value: string | null, name: string): number {
  if (value === null || !/^\d+$/.test(value)) throw invalidArgument(`Invalid value at '${name}' (TYPE_UINT64), "${value ?? ''}"`);
  return Number(value);
}

const isAfter = (v: unknown): v is { after: number } => typeof v === 'object' && v !== null && Number.isInteger((v as { after?: unknown }).after);

function listHistory(call: GmailCall): gmail_v1.Schema$ListHistoryResponse {
  const history = call.account.store.history;
  const types = call.url.searchParams.getAll('historyTypes');
  for (const t of types) if (!HISTORY_TYPES.includes(t as HistoryType)) throw invalidArgument(`Invalid value at 'history_types' (type.googleapis.com/google.apps.gmail.v1.HistoryType), "${t}"`);
  const result = history.list({
    startHistoryId: uint64(call.url.searchParams.get('startHistoryId'), 'start_history_id'),
    types: types as HistoryType[],
    labelId: call.url.searchParams.get('labelId') ?? undefined,
    maxResults: maxResults(call.url),
    after: decodePageToken(call.url, isAfter)?.after,
  });
  if (result.kind === 'expired') throw notFound();
  return {
    ...(result.records.length > 0 ? { history: result.records.map(recordJson) } : {}),
    ...(result.more ? { nextPageToken: encodePageToken({ after: result.lastId }) } : {}),
    historyId: String(history.current),
  };
}

async function watch(state: SandboxState, call: GmailCall): Promise<gmail_v1.Schema$WatchResponse> {
  const body = await jsonBody(state, call);
  const topicName = typeof body.topicName === 'string' ? body.topicName : '';
  if (!TOPIC.test(topicName)) throw invalidArgument('Invalid topicName does not match projects/SOME-PROJECT/topics/SOME-TOPIC');
  const behavior = String(body.labelFilterBehavior ?? body.labelFilterAction ?? 'include').toLowerCase();
  if (behavior !== 'include' && behavior !== 'exclude') throw invalidArgument(`Invalid labelFilterBehavior: ${behavior}`);
  const expiration = Date.now() + WATCH_TTL_MS;
  call.account.watch = { topicName, labelIds: stringList(body.labelIds), labelFilterBehavior: behavior, expiration };
  // A successful watch publishes one notification right away (provider-facts 1.5).
  state.notify(call.account);
  return { historyId: String(call.account.store.history.current), expiration: String(expiration) };
}

export function mailboxRoutes(state: SandboxState): GmailRoute[] {
  return [
    ['GET', `${USER}/profile`, 'getProfile', profile],
    ['GET', `${USER}/labels`, 'labels.list', labels],
    ['GET', `${USER}/history`, 'history.list', listHistory],
    ['POST', `${USER}/watch`, 'watch', (call) => watch(state, call)],
    [
      'POST',
      `${USER}/stop`,
      'stop',
      (call) => {
        call.account.watch = null;
        state.publisher.cancel(call.account.address);
        return null;
      },
    ],
  ];
}
