import type { ServerResponse } from 'node:http';
import {
  authError, GoogleApiError, googleErrorBody, insufficientScopes, serverError, tooManyConcurrent, userRateLimit,
} from '../http/google-errors';
import { BodyTooLarge, sendEmpty, sendJson } from '../http/io';
import type { RouteRequest } from '../http/router';
import type { FaultSpec } from '../limits/faults';
import type { GmailMethod } from '../limits/quota';
import type { Grant } from '../oauth/grants';
import { scopeAllows } from '../oauth/scopes';
import type { Account, SandboxState } from '../state';

export interface GmailCall extends RouteRequest {
  account: Account;
  grant: Grant;
}

/** A handler returns the JSON body, or null for Gmail's empty 204 answers. */
export type GmailHandler = (call: GmailCall) => Promise<unknown> | unknown;

function bearer(r: RouteRequest): string | null {
  const header = /^Bearer\s+(\S+)$/i.exec(r.req.headers.authorization ?? '')?.[1];
  return header ?? r.url.searchParams.get('access_token');
}

function authenticate(state: SandboxState, r: RouteRequest): { grant: Grant; account: Account } {
  const token = bearer(r);
  const check = token ? state.grants.checkAccess(token) : { ok: false as const };
  const account = check.grant ? state.account(check.grant.address) : undefined;
  if (!check.ok || !account) {
    if (account) account.counters.rejected.auth++;
    throw authError();
  }
  const userId = r.params.userId ?? 'me';
  if (userId !== 'me' && userId.toLowerCase() !== account.address) throw new GoogleApiError(403, `Delegation denied for ${account.address}`, 'forbidden');
  return { grant: check.grant, account };
}

export function faultError(fault: FaultSpec): GoogleApiError {
  const status = fault.status!;
  if (status === 403 || status === 429) return userRateLimit(Date.now() + (fault.retryAfterMs ?? 1000), status);
  return serverError(status);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Serves one Gmail call the way Google meters it: auth, scope, concurrency, injected faults, quota. */
export async function runGmailCall(state: SandboxState, r: RouteRequest, method: GmailMethod, handler: GmailHandler): Promise<void> {
  const { grant, account } = authenticate(state, r);
  if (!scopeAllows(grant.scopes, method)) throw insufficientScopes();
  const { counters } = account;
  counters.calls[method] = (counters.calls[method] ?? 0) + 1;
  counters.totalCalls++;
  if (account.inFlight >= state.options.concurrentRequestLimit) {
    counters.rejected.concurrency++;
    throw tooManyConcurrent();
  }
  account.inFlight++;
  counters.maxConcurrent = Math.max(counters.maxConcurrent, account.inFlight);
  try {
    const fault = state.faults.take(account.address, method);
    if (fault?.latencyMs) await sleep(fault.latencyMs);
    if (fault?.status) {
      counters.rejected.faults++;
      throw faultError(fault);
    }
    const units = state.options.quotaUnits[method];
    const taken = account.quota.tryTake(Date.now(), units, state.options.quotaUnitsPerMinute);
    if (!taken.ok) {
      counters.rejected.quota++;
      throw userRateLimit(taken.retryAt, 429);
    }
    counters.unitsUsed += units;
    const body = await handler({ ...r, grant, account });
    if (body === null) sendEmpty(r.res, 204);
    else sendJson(r.res, 200, body);
  } finally {
    account.inFlight--;
  }
}

/** Error writer for Gmail routes: every failure leaves in Google's envelope. */
export function writeGoogleError(res: ServerResponse, err: unknown): void {
  let apiError: GoogleApiError;
  if (err instanceof GoogleApiError) apiError = err;
  else if (err instanceof BodyTooLarge) apiError = new GoogleApiError(413, 'Request payload size exceeds the limit.', 'badRequest');
  else if (err instanceof SyntaxError) apiError = new GoogleApiError(400, 'Invalid JSON payload received.', 'parseError');
  else {
    process.stderr.write(`[gmail-sandbox] internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    apiError = serverError(500);
  }
  sendJson(res, apiError.code, googleErrorBody(apiError));
}
