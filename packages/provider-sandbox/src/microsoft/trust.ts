import https from 'node:https';
import tls from 'node:tls';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { FetchOptions } from '@microsoft/microsoft-graph-client';

/**
 * Trust for the Graph sandbox's CA without touching process-wide settings (the app keeps its own
 * copy of these helpers, so the sandbox imports nothing from it):
 * NODE_EXTRA_CA_CERTS is read once at start and would change trust for every other client in the
 * process. Both helpers fall back to the platform defaults when no CA is given.
 */

type Dispatcher = NonNullable<RequestInit['dispatcher']>;
type AgentConstructor = new (options: { connect?: { ca: string[] }; headersTimeout?: number; bodyTimeout?: number }) => Dispatcher;

const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

/**
 * Node's fetch is undici, but node 20 does not export undici's Agent and the npm package is not a
 * dependency. The global dispatcher is an Agent; loading fetch (a data: URL needs no network) makes
 * sure it exists, and its constructor builds an Agent of the same undici build fetch will accept.
 */
function undiciAgentClass(): AgentConstructor {
  const holder = globalThis as unknown as Record<symbol, object | undefined>;
  if (!holder[GLOBAL_DISPATCHER]) void fetch('data:,').catch(() => undefined);
  const dispatcher = holder[GLOBAL_DISPATCHER];
  if (!dispatcher || dispatcher.constructor.name !== 'Agent') {
    throw new Error('cannot build a fetch dispatcher: the global undici dispatcher is not an Agent');
  }
  return dispatcher.constructor as AgentConstructor;
}

const trustedCas = (caPem: string): string[] => [...tls.rootCertificates, caPem];

/**
 * `fetchOptions` for the Graph client's `Client.init`: trusts `caPem` in addition to the public roots,
 * and cuts a call off after `callTimeoutMs` without an answer (so it cannot land behind a retry's back).
 */
export function createGraphFetchOptions(caPem?: string, callTimeoutMs?: number): FetchOptions {
  if (!caPem && !callTimeoutMs) return {};
  const Agent = undiciAgentClass();
  return {
    dispatcher: new Agent({
      ...(caPem ? { connect: { ca: trustedCas(caPem) } } : {}),
      ...(callTimeoutMs ? { headersTimeout: callTimeoutMs, bodyTimeout: callTimeoutMs } : {}),
    }),
  } as FetchOptions;
}

function headersOf(res: { headers: Record<string, string | string[] | undefined> }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function send<T>(agent: https.Agent, method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
  return new Promise((resolve, reject) => {
    const body = method === 'POST' ? (options?.body ?? '') : undefined;
    const headers: Record<string, string | number> = { ...(options?.headers ?? {}) };
    if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body);
    const req = https.request(url, { method, agent, headers, ...(timeout ? { timeout } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        try {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: headersOf(res), body: (text ? JSON.parse(text) : {}) as T });
        } catch (err) {
          reject(new Error(`MSAL network client: response from ${url} is not JSON (${(err as Error).message})`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`MSAL network client: request to ${url} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * MSAL's INetworkModule over node https with `caPem` trusted next to the public roots; without a
 * CA it trusts the platform defaults only.
 */
export function createMsalNetworkClient(caPem?: string): INetworkModule {
  const agent = new https.Agent({ keepAlive: true, ...(caPem ? { ca: trustedCas(caPem) } : {}) });
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) => send<T>(agent, 'GET', url, options, timeout),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>(agent, 'POST', url, options),
  };
}
