import http from 'node:http';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
  /** The status the receiver answered. */
  status: number;
}

export interface WebhookReceiver {
  url: string;
  /** Every request, in arrival order, whatever was answered. */
  requests: ReceivedWebhook[];
  /** The requests answered with a 2xx. */
  accepted(): ReceivedWebhook[];
  /** What the next requests are answered (default 204). */
  answer(status: (req: ReceivedWebhook, index: number) => number): void;
  close(): Promise<void>;
}

/** A real HTTP receiver on loopback, as a CRM backend would run one. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedWebhook[] = [];
  let decide: (req: ReceivedWebhook, index: number) => number = () => 204;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const received = { headers: req.headers as Record<string, string>, body, status: 0 };
      received.status = decide(received, requests.length);
      requests.push(received);
      res.writeHead(received.status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks`,
    requests,
    accepted: () => requests.filter((r) => r.status >= 200 && r.status < 300),
    answer: (fn) => {
      decide = fn;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Verifies a received webhook with this secret (Standard Webhooks); throws when the signature does not match. */
export function verifyWebhook(secret: string, r: ReceivedWebhook): { type: string; timestamp: string; data: Record<string, any> } {
  return new Webhook(secret).verify(r.body, r.headers) as { type: string; timestamp: string; data: Record<string, any> };
}
