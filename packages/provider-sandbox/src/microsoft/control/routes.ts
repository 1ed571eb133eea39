import type { Req } from '../http/request';
import { empty, json, type HttpResponse } from '../http/respond';
import { SubscriptionError } from '../notify/subscription-model';
import type { AttachmentInput, DeliverInput, FaultSpec, GraphSandboxControl, LifecycleEvent, SendAsOwnerInput } from '../types';
import { ControlError } from './control';

type Json = Record<string, unknown>;

export interface ControlInfo {
  origin: string;
  graphBaseUrl: string;
  authority: string;
  tenant: string;
  clientId: string;
  caPem: string;
}

function body(req: Req): Json {
  const text = req.body.toString('utf8').trim();
  if (!text) return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Json;
  } catch {
    // answered below
  }
  throw new ControlError(400, 'body must be a JSON object');
}

/** One fault or a list of them. */
function faultsBody(req: Req): FaultSpec | FaultSpec[] {
  try {
    const parsed = JSON.parse(req.body.toString('utf8')) as unknown;
    if (Array.isArray(parsed) && parsed.every((f) => typeof f === 'object' && f !== null)) return parsed as FaultSpec[];
  } catch {
    // answered by body()
  }
  return body(req) as FaultSpec;
}

/** HTTP callers send attachment bytes as base64 (`contentBase64`) or text (`content`). */
function attachments(value: unknown): AttachmentInput[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map((a: Json) => ({
    filename: String(a.filename ?? 'attachment'),
    ...(typeof a.contentType === 'string' ? { contentType: a.contentType } : {}),
    content: typeof a.contentBase64 === 'string' ? Buffer.from(a.contentBase64, 'base64') : String(a.content ?? ''),
    ...(a.inline === true ? { inline: true } : {}),
    ...(typeof a.contentId === 'string' ? { contentId: a.contentId } : {}),
  }));
}

type Handler = (control: GraphSandboxControl, req: Req, arg: string) => Promise<HttpResponse>;

const ROUTES: [string, RegExp, Handler][] = [
  ['POST', /^accounts$/, async (c, req) => {
    const b = body(req);
    return json(201, await c.createAccount(String(b.address ?? ''), typeof b.displayName === 'string' ? { displayName: b.displayName } : undefined));
  }],
  ['POST', /^accounts\/([^/]+)\/deliver$/, async (c, req, a) => {
    const b = body(req);
    return json(201, await c.deliver(a, { ...(b as unknown as DeliverInput), attachments: attachments(b.attachments) }));
  }],
  ['POST', /^accounts\/([^/]+)\/send$/, async (c, req, a) => {
    const b = body(req);
    return json(201, await c.sendAsOwner(a, { ...(b as SendAsOwnerInput), attachments: attachments(b.attachments) }));
  }],
  ['GET', /^accounts\/([^/]+)\/messages$/, async (c, req, a) => json(200, { value: await c.listMessages(a, { folder: req.query.get('folder') }) })],
  ['POST', /^accounts\/([^/]+)\/revoke$/, async (c, _req, a) => (await c.revoke(a), empty(204))],
  ['POST', /^accounts\/([^/]+)\/expire-delta-tokens$/, async (c, _req, a) => (await c.expireDeltaTokens(a), empty(204))],
  ['GET', /^accounts\/([^/]+)\/subscriptions$/, async (c, _req, a) => json(200, { value: await c.subscriptions(a) })],
  ['GET', /^accounts\/([^/]+)\/counters$/, async (c, _req, a) => json(200, await c.counters(a))],
  ['POST', /^counters\/reset$/, async (c, req) => (await c.resetCounters(typeof body(req).address === 'string' ? String(body(req).address) : undefined), empty(204))],
  ['POST', /^faults$/, async (c, req) => (await c.injectFaults(faultsBody(req)), empty(204))],
  ['DELETE', /^faults$/, async (c) => (await c.clearFaults(), empty(204))],
  ['POST', /^subscriptions\/([^/]+)\/lifecycle$/, async (c, req, id) => (await c.triggerLifecycle(id, String(body(req).event) as LifecycleEvent), empty(204))],
];

/** /sandbox/graph/...: the control API over HTTP, for CRM developers and other processes. */
export async function handleControl(control: GraphSandboxControl, info: ControlInfo, req: Req): Promise<HttpResponse> {
  const rest = req.segments.slice(2).join('/');
  if (req.method === 'GET' && rest === '') {
    const { caPem: _ca, ...summary } = info;
    return json(200, summary);
  }
  if (req.method === 'GET' && rest === 'ca.pem') return { status: 200, headers: { 'Content-Type': 'application/x-pem-file' }, body: info.caPem };
  try {
    for (const [method, pattern, handler] of ROUTES) {
      const m = pattern.exec(rest);
      if (m && method === req.method) return await handler(control, req, m[1] ?? '');
    }
    return json(404, { error: { code: 'NOT_FOUND', message: `no control route ${req.method} /${req.segments.join('/')}` } });
  } catch (err) {
    if (err instanceof ControlError || err instanceof SubscriptionError) return json(err.status, { error: { code: 'CONTROL_ERROR', message: err.message } });
    throw err;
  }
}
