import { header, parsePrefer, type Req } from '../http/request';
import { GraphHttpError, type HttpResponse } from '../http/respond';
import type { Mailbox } from '../mail/mailbox';
import type { GraphContext, Params, Route, Services } from './context';
import { guarded } from './guard';
import { attachmentRoutes } from './routes-attachments';
import { folderTreeRoutes } from './routes-folder-tree';
import { folderRoutes } from './routes-folders';
import { messageRoutes } from './routes-messages';
import { sendRoutes } from './routes-send';
import { subscriptionRoutes } from './routes-subscriptions';

/** Literal routes before parameter routes that could shadow them (messages/delta, createUploadSession). */
const ROUTES: Route[] = [...folderRoutes, ...folderTreeRoutes, ...sendRoutes, ...attachmentRoutes, ...messageRoutes, ...subscriptionRoutes];

function match(route: Route, segments: string[]): Params | null {
  const parts = route.path ? route.path.split('/') : [];
  if (parts.length !== segments.length) return null;
  const params: Params = {};
  for (const [i, part] of parts.entries()) {
    const seg = segments[i] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = seg;
    else if (part.toLowerCase() !== seg.toLowerCase()) return null;
  }
  return params;
}

function caller(services: Services, req: Req): Mailbox {
  const auth = header(req, 'authorization') ?? '';
  const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim();
  if (!token) throw new GraphHttpError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
  const resolved = services.state.grants.resolveAccess(token);
  if ('error' in resolved) {
    const message = resolved.error === 'expired' ? 'Access token has expired or is not yet valid.' : 'Access token validation failure. Invalid audience.';
    throw new GraphHttpError(401, 'InvalidAuthenticationToken', message);
  }
  const mailbox = services.state.mailbox(resolved.userId);
  if (!mailbox) throw new GraphHttpError(401, 'InvalidAuthenticationToken', 'Access token validation failure.');
  return mailbox;
}

/** `me/...` or `users/{id|address}/...`: the mailbox, the rest of the path and the path prefix used. */
function target(services: Services, who: Mailbox, segments: string[]): { mailbox: Mailbox; rest: string[]; prefix: string } | null {
  const [head, ref] = segments;
  if (head?.toLowerCase() === 'me') return { mailbox: who, rest: segments.slice(1), prefix: 'me' };
  if (head?.toLowerCase() !== 'users' || ref === undefined) return null;
  const mailbox = services.state.mailbox(ref);
  if (!mailbox) throw new GraphHttpError(404, 'ErrorInvalidUser', `The requested user '${ref}' is invalid.`);
  // Delegated tokens reach only their own mailbox.
  if (mailbox !== who) throw new GraphHttpError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
  return { mailbox, rest: segments.slice(2), prefix: `users/${ref}` };
}

/** Both ids of the message a `messages/{id}/...` request is about, so a fault on it matches either form. */
function messageIdsOf(mailbox: Mailbox, route: Route, params: Params): string[] {
  if (!/^(messages|attachments)\./.test(route.name) || !params.id) return [];
  const m = mailbox.find(params.id);
  return m ? [params.id, m.immutableId, m.restId] : [params.id];
}

/** Graph requests under /v1.0 (and /beta, served the same). */
export async function handleGraph(services: Services, req: Req): Promise<HttpResponse> {
  const [version, ...path] = req.segments;
  const who = caller(services, req);
  const scoped = target(services, who, path);
  const candidates = ROUTES.filter((r) => r.method === req.method && (scoped ? !r.root : r.root));
  const segments = scoped ? scoped.rest : path;
  for (const route of candidates) {
    const params = match(route, segments);
    if (!params) continue;
    const mailbox = scoped?.mailbox ?? who;
    const base = `${services.config.origin}/${version}/${scoped?.prefix ?? 'me'}`;
    const ctx: GraphContext = { services, req, mailbox, caller: who, prefer: parsePrefer(req), base };
    return guarded(services, mailbox.address, route.name, req.ids, () => route.handler(ctx, params), messageIdsOf(mailbox, route, params));
  }
  throw new GraphHttpError(400, 'BadRequest', `Resource not found for the segment '${segments[segments.length - 1] ?? ''}'.`);
}
