import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Faults } from '../shared/faults';
import { issueServerCertificate, loadOrCreateCa } from './certs';
import { resolveConfig } from './config';
import { createControl } from './control/control';
import { handleControl, type ControlInfo } from './control/routes';
import { handleEntra } from './entra/handler';
import type { Services } from './graph/context';
import { handleGraph } from './graph/pipeline';
import { handleUpload } from './graph/upload-put';
import { UploadSessions } from './graph/upload-sessions';
import { BodyTooLarge, readBody, toReq, type Req } from './http/request';
import { GraphHttpError, graphError, type HttpResponse } from './http/respond';
import { MailboxLimiter } from './limits/limiter';
import { MAX_REQUEST_BYTES, MAX_UPLOAD_CHUNK_BYTES } from './mail/limits';
import { SubscriptionService } from './notify/subscriptions';
import { SandboxState } from './state';
import type { GraphSandbox, GraphSandboxControl, GraphSandboxOptions } from './types';

function write(res: ServerResponse, out: HttpResponse, req: Req | null): void {
  const headers: Record<string, string> = { ...(out.headers ?? {}) };
  if (req) Object.assign(headers, { 'request-id': req.ids.requestId, 'client-request-id': req.ids.clientRequestId });
  let payload: Buffer | undefined;
  if (Buffer.isBuffer(out.body)) payload = out.body;
  else if (typeof out.body === 'string') payload = Buffer.from(out.body, 'utf8');
  else if (out.body !== undefined) {
    payload = Buffer.from(JSON.stringify(out.body), 'utf8');
    headers['Content-Type'] ??= 'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8';
  }
  headers['Content-Length'] = String(payload?.length ?? 0);
  res.writeHead(out.status, headers);
  res.end(payload);
}

const isGraph = (req: Req) => /^(v1\.0|beta)$/i.test(req.segments[0] ?? '');

async function route(services: Services, control: GraphSandboxControl, info: ControlInfo, req: Req): Promise<HttpResponse> {
  const [first = '', second = ''] = req.segments;
  if (first === 'sandbox' && second === 'graph') return handleControl(control, info, req);
  if (isGraph(req)) return handleGraph(services, req);
  if (first === 'upload' && second === 'AttachmentSessions') return handleUpload(services, req);
  const entra = handleEntra(services.state, req);
  if (entra) return entra;
  return graphError(req.ids, 404, 'NotFound', `No sandbox endpoint at ${req.pathname}.`);
}

function requestHandler(services: Services, control: GraphSandboxControl, info: ControlInfo) {
  return async (msg: IncomingMessage, res: ServerResponse): Promise<void> => {
    const limit = msg.url?.startsWith('/upload/') ? MAX_UPLOAD_CHUNK_BYTES : MAX_REQUEST_BYTES;
    let req: Req | null = null;
    try {
      req = toReq(msg, await readBody(msg, limit));
      write(res, await route(services, control, info, req), req);
    } catch (err) {
      const fallback = req ?? toReq(msg, Buffer.alloc(0));
      if (err instanceof GraphHttpError) write(res, graphError(fallback.ids, err.status, err.code, err.message, err.headers), fallback);
      else if (err instanceof BodyTooLarge) write(res, graphError(fallback.ids, 413, 'RequestEntityTooLarge', 'The maximum request length supported is 4MB.'), fallback);
      else write(res, graphError(fallback.ids, 500, 'generalException', `Sandbox failure: ${(err as Error).message}`), fallback);
    }
  };
}

function services(opts: GraphSandboxOptions, caPem: string): Services {
  const config = resolveConfig(opts);
  const state = new SandboxState(config);
  const { counters } = state;
  return {
    config,
    state,
    counters,
    limiter: new MailboxLimiter({ maxConcurrent: config.maxConcurrentPerMailbox, window: config.requestWindow }),
    faults: new Faults(),
    subscriptions: new SubscriptionService(config, state, caPem, counters),
    uploads: new UploadSessions(),
    sendHooks: { onSend: (mailbox) => (counters.of(mailbox.address).sendsAccepted += 1) },
  };
}

/** Starts the Microsoft Graph mail + Entra sandbox over HTTPS with the persistent sandbox CA. */
export async function startGraphSandbox(opts: GraphSandboxOptions = {}): Promise<GraphSandbox> {
  const base = resolveConfig(opts);
  const ca = await loadOrCreateCa(base.certDir);
  const cert = await issueServerCertificate(ca, [base.host]);
  const svc = services(opts, ca.cert);
  const { config } = svc;
  const control = createControl(svc);
  const info: ControlInfo = { origin: '', graphBaseUrl: '', authority: '', tenant: config.tenant, clientId: config.clientId, caPem: ca.cert };
  const server = https.createServer({ key: cert.key, cert: cert.cert }, requestHandler(svc, control, info));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  config.origin = `https://localhost:${port}`;
  Object.assign(info, { origin: config.origin, graphBaseUrl: `${config.origin}/`, authority: `${config.origin}/${config.tenant}` });
  return {
    origin: config.origin,
    graphBaseUrl: info.graphBaseUrl,
    authority: info.authority,
    authorityHost: `localhost:${port}`,
    tenant: config.tenant,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    caPem: ca.cert,
    caFile: ca.certFile,
    control,
    close: async () => {
      svc.subscriptions.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
