import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyRequest } from 'fastify';
import { authError, backendError, GoogleApiError, tooManyConcurrent, userRateLimited } from '../errors';
import type { Fault } from '../../shared/faults';
import { scopeAllows } from '../oauth/scopes';
import type { SandboxState } from '../state';
import type { Mailbox } from '../store/mailbox';
import type { GmailMethod } from '../types';

export interface CallContext {
  mailbox: Mailbox;
  fault: Fault | null;
}

function bearer(req: FastifyRequest): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1] ?? null;
}

/** `takenAt`: when the fault was taken, the start of its retry delay. */
export function faultError(fault: Fault, takenAt: number): GoogleApiError {
  const status = fault.status!;
  if (status === 429) return userRateLimited(new Date(takenAt + (fault.retryAfterMs ?? 1000)));
  if (status >= 500) return backendError(status);
  if (status === 401) return authError();
  if (status === 404) return new GoogleApiError(404, 'Requested entity was not found.', 'notFound');
  return new GoogleApiError(status, 'Injected failure', status === 403 ? 'forbidden' : 'badRequest');
}

const insufficientScope = () =>
  new GoogleApiError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions', 'global');

/** Who is calling: a live access token with a scope for the method, and a userId of "me" or that same address. */
function authenticate(state: SandboxState, req: FastifyRequest, method: GmailMethod): Mailbox {
  const token = bearer(req);
  const access = token ? state.tokens.resolve(token) : null;
  const mailbox = access ? state.findMailbox(access.address) : undefined;
  if (!access || !mailbox) throw authError();
  if (!scopeAllows(access.scope, method)) throw insufficientScope();
  const userId = (req.params as { userId?: string }).userId ?? 'me';
  if (userId !== 'me' && userId.toLowerCase() !== mailbox.address) {
    throw new GoogleApiError(403, `Delegation denied for ${mailbox.address}`, 'forbidden');
  }
  return mailbox;
}

/** The message a messages.* call is about: `:id`, or `:messageId` for its attachments. */
function messageOf(req: FastifyRequest, method: GmailMethod): string | undefined {
  if (!method.startsWith('messages.')) return undefined;
  const params = req.params as { id?: string; messageId?: string };
  return params.messageId ?? params.id;
}

/**
 * Runs a Gmail call through the same gates Gmail applies, in order: credentials, the per-user
 * concurrency limit, injected faults, then the per-user quota. Calls are counted from the
 * moment they are authenticated, so retried and rejected calls show in the counters.
 */
export async function runGated<T>(state: SandboxState, req: FastifyRequest, method: GmailMethod, handle: (ctx: CallContext) => Promise<T> | T): Promise<T> {
  const mailbox = authenticate(state, req, method);
  const address = mailbox.address;
  const counters = state.counters.of(address);
  state.counters.call(address, method);
  if (state.inFlight.running(address) >= state.config.concurrentRequestLimit) {
    counters.rateLimited += 1;
    throw tooManyConcurrent();
  }
  state.counters.open(address, state.inFlight.enter(address));
  try {
    const message = messageOf(req, method);
    const takenAt = Date.now();
    const fault = state.faults.take(address, method, message === undefined ? [] : [message], takenAt);
    if (fault) counters.faultsInjected += 1;
    if (fault?.latencyMs) await sleep(fault.latencyMs);
    if (fault?.status) throw faultError(fault, takenAt);
    spendQuota(state, address, method);
    const result = await handle({ mailbox, fault });
    if (fault?.delayResponseMs) await sleep(fault.delayResponseMs);
    return result;
  } finally {
    state.inFlight.leave(address);
  }
}

function spendQuota(state: SandboxState, address: string, method: GmailMethod): void {
  const units = state.config.units[method];
  const spent = state.quotaWindow(address).trySpend(Date.now(), units, state.config.quotaUnitsPerMinute);
  const counters = state.counters.of(address);
  if (!spent.ok) {
    counters.rateLimited += 1;
    throw userRateLimited(new Date(spent.retryAt));
  }
  counters.quotaUnits += units;
}
