import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One provider push as it reached the relay: enough to post it again, byte for byte. */
export interface CapturedPush {
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * mailsync's public URL: a relay in front of the API (as a load balancer would be) that forwards
 * Gmail Pub/Sub pushes and Graph notifications. When holding, it acknowledges pushes without
 * forwarding and keeps them, so a fault can post them later, repeated and out of order.
 */
export class PushRelay {
  private server: http.Server | null = null;
  private holding = false;
  private held: CapturedPush[] = [];
  url = '';

  constructor(private readonly apiUrl: string) {}

  async listen(): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  hold(): void {
    this.holding = true;
    this.held = [];
  }

  /** Stops holding and hands over what was held. */
  release(): CapturedPush[] {
    this.holding = false;
    const held = this.held;
    this.held = [];
    return held;
  }

  /** Posts a captured push to the API as the provider would; resolves with the API's status (0: no answer). */
  async post(push: CapturedPush): Promise<number> {
    try {
      const res = await fetch(`${this.apiUrl}${push.path}`, { method: 'POST', headers: push.headers, body: push.body, signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      return res.status;
    } catch {
      return 0;
    }
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'content-type', 'user-agent']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const path = req.url ?? '/';
    // Subscription validation handshakes always pass: Graph would give up on the subscription.
    const isValidation = path.includes('validationToken=');
    if (this.holding && !isValidation && req.method === 'POST') {
      this.held.push({ path, headers, body });
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"held"}');
      return;
    }
    try {
      const upstream = await fetch(`${this.apiUrl}${path}`, { method: req.method ?? 'POST', headers, ...(body.length ? { body } : {}), signal: AbortSignal.timeout(10_000) });
      const answer = Buffer.from(await upstream.arrayBuffer());
      const type = upstream.headers.get('content-type');
      res.writeHead(upstream.status, type ? { 'content-type': type } : {}).end(answer);
    } catch (err) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`relay: ${(err as Error).message}`);
    }
  }
}
