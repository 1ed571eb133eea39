import type { ServerResponse } from 'node:http';
import { isRecord, parseJsonBody, readBody, sendJson } from '../http/io';
import type { RouteRequest, Router } from '../http/router';
import type { FaultSpec } from '../limits/faults';
import { SandboxError, type SandboxState } from '../state';
import type { DeliverInput, GmailSandboxControl, OwnerSendInput } from './types';

const BASE = '/sandbox/gmail';

function writeControlError(res: ServerResponse, err: unknown): void {
  if (err instanceof SandboxError) return sendJson(res, err.code === 'not_found' ? 404 : 400, { error: { code: err.code, message: err.message } });
  if (err instanceof SyntaxError) return sendJson(res, 400, { error: { code: 'bad_request', message: `invalid JSON: ${err.message}` } });
  process.stderr.write(`[gmail-sandbox] control error: ${(err as Error)?.stack ?? String(err)}\n`);
  sendJson(res, 500, { error: { code: 'internal', message: (err as Error)?.message ?? 'internal error' } });
}

async function body(state: SandboxState, r: RouteRequest): Promise<Record<string, unknown>> {
  const parsed = parseJsonBody(await readBody(r.req, state.options.maxRequestBytes));
  if (!isRecord(parsed)) throw new SandboxError('bad_request', 'expected a JSON object');
  return parsed;
}

const strings = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);

type Handler = (r: RouteRequest, control: GmailSandboxControl) => Promise<unknown> | unknown;

/** The control API as JSON over HTTP, for demos and processes other than the one running the sandbox. */
export function registerControlRoutes(router: Router, state: SandboxState, control: GmailSandboxControl): void {
  const a = (r: RouteRequest) => r.params.address!;
  const routes: [string, string, Handler][] = [
    ['GET', '/accounts', (_r, c) => c.listAccounts()],
    ['POST', '/accounts', async (r, c) => {
      const b = await body(state, r);
      return c.createAccount(String(b.address ?? ''), typeof b.name === 'string' ? { name: b.name } : {});
    }],
    ['POST', '/deliver', async (r, c) => {
      const b = await body(state, r);
      return c.deliver(b.to as string | string[], (b.message ?? b) as unknown as DeliverInput);
    }],
    ['POST', '/accounts/:address/send', async (r, c) => c.sendAsOwner(a(r), (await body(state, r)) as unknown as OwnerSendInput)],
    ['GET', '/accounts/:address/messages', (r, c) => c.listMessages(a(r), { label: r.url.searchParams.get('label') ?? undefined })],
    ['GET', '/accounts/:address/messages/:id', (r, c) => c.getMessage(a(r), r.params.id!)],
    ['POST', '/accounts/:address/messages/:id/labels', async (r, c) => {
      const b = await body(state, r);
      return c.modifyLabels(a(r), r.params.id!, strings(b.add), strings(b.remove));
    }],
    ['POST', '/accounts/:address/revoke', (r, c) => c.revoke(a(r))],
    ['POST', '/accounts/:address/expire-tokens', (r, c) => c.expireAccessTokens(a(r))],
    ['POST', '/accounts/:address/expire-history', (r, c) => c.expireHistory(a(r))],
    ['GET', '/accounts/:address/history-id', (r, c) => ({ historyId: c.historyId(a(r)) })],
    ['GET', '/accounts/:address/counters', (r, c) => c.counters(a(r))],
    ['GET', '/accounts/:address/watch', (r, c) => c.watchState(a(r))],
    ['POST', '/counters/reset', async (r, c) => c.resetCounters(((await body(state, r)).address as string | undefined) ?? undefined)],
    ['POST', '/faults', async (r, c) => c.injectFaults((await body(state, r)) as FaultSpec)],
    ['DELETE', '/faults', (_r, c) => c.clearFaults()],
    ['PUT', '/push-endpoint', async (r, c) => {
      const b = await body(state, r);
      return c.setPushEndpoint(typeof b.url === 'string' ? b.url : null, typeof b.audience === 'string' ? b.audience : undefined);
    }],
  ];
  for (const [method, path, handler] of routes) {
    router.add(method, `${BASE}${path}`, async (r) => {
      const out = await handler(r, control);
      sendJson(r.res, 200, out === undefined ? { ok: true } : out);
    }, writeControlError);
  }
}
