import http from 'node:http';

export interface RecordedPush {
  headers: Record<string, string>;
  body: Buffer;
}

export interface PushRelay {
  url: string;
  /** Every push that went through, oldest first. */
  recorded: RecordedPush[];
  /** Posts recorded pushes to the target again, as a provider's duplicate and out-of-order deliveries. */
  replay(pushes: RecordedPush[]): Promise<number[]>;
  close(): Promise<void>;
}

/** Stands where a provider pushes: forwards each push to `target` and keeps a copy to replay. */
export async function startPushRelay(target: string): Promise<PushRelay> {
  const recorded: RecordedPush[] = [];
  const forward = async (push: RecordedPush): Promise<number> => {
    const res = await fetch(target, { method: 'POST', headers: push.headers, body: push.body });
    await res.arrayBuffer();
    return res.status;
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const name of ['authorization', 'content-type']) if (typeof req.headers[name] === 'string') headers[name] = req.headers[name];
      const push = { headers, body: Buffer.concat(chunks) };
      recorded.push(push);
      forward(push).then(
        (status) => res.writeHead(status).end(),
        () => res.writeHead(502).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/push`,
    recorded,
    replay: (pushes) => Promise.all(pushes.map(forward)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
