/** The CRM's side of the API: plain HTTP to the API child, answers kept whole. */
export interface ApiAnswer {
  /** HTTP status; 0 when no answer came (connection refused, reset, or the request timed out). */
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- API bodies are read field by field
  body: any;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  async call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, opts: { headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<ApiAnswer> {
    try {
      const res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...opts.headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body: parsed };
    } catch (err) {
      return { status: 0, body: { error: { code: 'NO_ANSWER', message: (err as Error).message } } };
    }
  }

  /** Directory and connection calls the suite cannot do without: retried on 5xx / no answer, then thrown. */
  async must(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, attempts = 5): Promise<ApiAnswer> {
    let last: ApiAnswer = { status: 0, body: null };
    for (let attempt = 1; attempt <= attempts; attempt++) {
      last = await this.call(method, path, body);
      if (last.status > 0 && last.status < 500) break;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
    if (last.status < 200 || last.status >= 300) throw new Error(`${method} ${path} answered ${last.status}: ${JSON.stringify(last.body)}`);
    return last;
  }
}
