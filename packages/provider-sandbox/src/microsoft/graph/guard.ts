import { graphError, type HttpResponse, type RequestIds } from '../http/respond';
import { graphTime } from '../ids';
import type { Fault } from '../../shared/faults';
import type { Services } from './context';

const FAULT_CODES: Record<number, string> = { 429: 'TooManyRequests', 500: 'generalException', 502: 'UnknownError', 503: 'serviceNotAvailable', 504: 'UnknownError' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Retry-After in seconds; fractional values are legal and the Graph client honours them. */
const seconds = (s: number): string => String(Math.round(s * 1000) / 1000);

/** The 429 Graph sends when a mailbox is over its request budget (provider-facts 2.5). */
export function tooManyRequests(ids: RequestIds, retryAfter: number | undefined): HttpResponse {
  const headers: Record<string, string> = retryAfter === undefined ? {} : { 'Retry-After': seconds(retryAfter) };
  const res = graphError(ids, 429, 'TooManyRequests', 'Please retry again later.', headers);
  const body = res.body as { error: { innerError: Record<string, string> } };
  Object.assign(body.error.innerError, { code: '429', message: 'Please retry after', status: '429', date: graphTime(Date.now()) });
  return res;
}

function faultResponse(ids: RequestIds, fault: Fault & { status: number }): HttpResponse {
  const retryAfter = fault.retryAfterMs === undefined ? undefined : fault.retryAfterMs / 1000;
  const headers: Record<string, string> = retryAfter === undefined ? {} : { 'Retry-After': seconds(retryAfter) };
  if (fault.status === 429 && !fault.code) return tooManyRequests(ids, retryAfter);
  const code = fault.code ?? FAULT_CODES[fault.status] ?? 'UnknownError';
  return graphError(ids, fault.status, code, `Injected ${fault.status} from the sandbox.`, headers);
}

/**
 * Every Graph call on a mailbox passes here: counted, checked against the request window and the
 * concurrency limit, then subjected to any injected fault, then run.
 */
export async function guarded(
  services: Services,
  address: string,
  route: string,
  ids: RequestIds,
  run: () => Promise<HttpResponse> | HttpResponse,
  messageIds: string[] = [],
): Promise<HttpResponse> {
  const { counters, limiter, faults } = services;
  counters.call(address, route);
  counters.open(address, limiter.openWith(address));
  // Every arriving request counts toward the mailbox's request window, refused ones included.
  counters.of(address).quotaUnits += 1;
  const admission = limiter.enter(address);
  if (!admission.ok) {
    counters.of(address).rateLimited += 1;
    if (admission.reason === 'window') return tooManyRequests(ids, admission.retryAfterSeconds);
    return graphError(ids, 429, 'ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', { 'Retry-After': '1' });
  }
  try {
    const fault = faults.take(address, route, messageIds);
    if (fault) {
      counters.of(address).faultsInjected += 1;
      if (fault.latencyMs) await sleep(fault.latencyMs);
      if (fault.status) return faultResponse(ids, { ...fault, status: fault.status });
    }
    const response = await run();
    if (fault?.delayResponseMs) await sleep(fault.delayResponseMs);
    return response;
  } finally {
    admission.release();
  }
}
