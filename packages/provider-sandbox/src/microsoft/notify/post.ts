import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';

export interface PostResult {
  status: number;
  contentType: string;
  body: string;
}

/**
 * Posts from the sandbox to a client endpoint (http on loopback, or https trusting the public roots
 * plus the sandbox CA, so endpoints can use a certificate from the same CA).
 */
export function post(url: string, body: string, contentType: string, timeoutMs: number, caPem: string, signal?: AbortSignal): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const lib = target.protocol === 'https:' ? https : http;
    const headers = { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'User-Agent': 'mailsync-graph-sandbox' };
    const options = { method: 'POST', headers, timeout: timeoutMs, ...(signal ? { signal } : {}), ...(target.protocol === 'https:' ? { ca: [...tls.rootCertificates, caPem] } : {}) };
    const req = lib.request(target, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${target.origin} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
