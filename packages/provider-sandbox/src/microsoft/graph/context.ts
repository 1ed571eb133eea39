import type { Counters } from '../../shared/counters';
import type { Faults } from '../../shared/faults';
import type { SandboxConfig } from '../config';
import type { Prefer, Req } from '../http/request';
import { parseODataQuery, QueryError, type ODataQuery } from '../http/query';
import { badRequest, notFound, type HttpResponse } from '../http/respond';
import type { MailboxLimiter } from '../limits/limiter';
import type { Mailbox } from '../mail/mailbox';
import type { StoredMessage } from '../mail/model';
import { validateAttachmentSelect, validateSelect, type RepresentOptions } from '../mail/represent';
import type { SendHooks } from '../mail/transport';
import type { SubscriptionService } from '../notify/subscriptions';
import type { SandboxState } from '../state';
import type { UploadSessions } from './upload-sessions';

export interface Services {
  config: SandboxConfig;
  state: SandboxState;
  limiter: MailboxLimiter;
  faults: Faults;
  counters: Counters;
  subscriptions: SubscriptionService;
  uploads: UploadSessions;
  sendHooks: SendHooks;
}

export interface GraphContext {
  services: Services;
  req: Req;
  /** The mailbox the path names (`me` or `users/{id|address}`). */
  mailbox: Mailbox;
  /** The mailbox of the bearer token. */
  caller: Mailbox;
  prefer: Prefer;
  /** e.g. https://localhost:1234/v1.0/me - for links that repeat the caller's own path style. */
  base: string;
}

export type Params = Record<string, string>;

export interface Route {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  /** Relative to the mailbox (`messages/:id`) or, with root, to the version (`subscriptions/:id`). */
  path: string;
  root?: boolean;
  handler: (ctx: GraphContext, params: Params) => Promise<HttpResponse> | HttpResponse;
}

export function odata(ctx: GraphContext): ODataQuery {
  try {
    const q = parseODataQuery(ctx.req.query);
    validateSelect(q.select);
    validateAttachmentSelect(q.expandSelect.attachments);
    return q;
  } catch (err) {
    if (err instanceof QueryError) throw badRequest(err.message, 'BadRequest');
    throw err;
  }
}

export function representation(ctx: GraphContext, q: ODataQuery): RepresentOptions {
  return {
    immutableIds: ctx.prefer.immutableIds,
    select: q.select,
    expandAttachments: q.expand.includes('attachments'),
    attachmentSelect: q.expandSelect.attachments ?? null,
    textBody: ctx.prefer.textBody,
  };
}

export function findMessage(ctx: GraphContext, id: string | undefined): StoredMessage {
  const m = id ? ctx.mailbox.find(id) : undefined;
  if (!m) throw notFound();
  return m;
}

/** Headers that acknowledge the Prefer options honoured. */
export function preferenceApplied(ctx: GraphContext, pageSize?: number): Record<string, string> {
  const applied = [ctx.prefer.immutableIds ? 'IdType="ImmutableId"' : null, pageSize !== undefined && ctx.prefer.maxPageSize ? `odata.maxpagesize=${pageSize}` : null];
  const list = applied.filter((x): x is string => x !== null);
  return list.length ? { 'Preference-Applied': list.join(', ') } : {};
}
