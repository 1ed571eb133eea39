import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RouteRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
}

export type RouteHandler = (r: RouteRequest) => Promise<void> | void;
/** Writes an error in the wire shape of the API the route belongs to (Google envelope, OAuth, control). */
export type ErrorWriter = (res: ServerResponse, err: unknown) => void;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: RouteHandler;
  onError: ErrorWriter;
}

/** A small method + path router; `:name` segments become decoded params. */
export class Router {
  private readonly routes: Route[] = [];

  constructor(private readonly notFound: (r: RouteRequest) => void) {}

  add(method: string, path: string, handler: RouteHandler, onError: ErrorWriter): void {
    const names: string[] = [];
    const source = path
      .split('/')
      .map((segment) => {
        if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(segment.slice(1));
        return '([^/]+)';
      })
      .join('/');
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), names, handler, onError });
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    for (const route of this.routes) {
      if (route.method !== req.method) continue;
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(match[i + 1] ?? '')));
      try {
        await route.handler({ req, res, url, params });
      } catch (err) {
        route.onError(res, err);
      }
      return;
    }
    this.notFound({ req, res, url, params: {} });
  }
}
