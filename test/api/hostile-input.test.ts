import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRequest, errorShapeProblem, requests, routeInput, type OpenApiOperation, type RouteInput } from '../helpers/hostile-requests';
import { startStack, type Stack } from '../helpers/stack';

/** Requests per route; with ~60 routes (HEAD included) the file stays well under a minute. */
const RUNS_PER_ROUTE = 20;

describe('hostile input to every route', () => {
  let stack: Stack;
  let routes: (RouteInput & { documented: boolean })[];

  beforeAll(async () => {
    stack = await startStack();
    await stack.api('PUT', '/v1/locations/loc-1', { name: 'Main office' });
    await stack.api('PUT', '/v1/users/u1', { email: 'owner@agency.test', name: 'Owner', locationIds: ['loc-1'] });
    await stack.api('PUT', '/v1/locations/loc-1/contacts/c1', { email: 'c@client.test', assignedUserId: 'u1' });
    const doc = (await stack.app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, OpenApiOperation>> };
    routes = stack.app.routeTable
      .filter((r) => !r.fromDocs)
      .flatMap((r) => (Array.isArray(r.method) ? r.method : [r.method]).map((method) => routeInput(method, r.url, doc.paths)));
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('reads every route of the route table, with its parameters and body, from the OpenAPI document', () => {
    expect(routes.length).toBeGreaterThan(30);
    // Only routes that take no parameters (health checks) may stay out of the document; they get hostile queries and bodies all the same.
    const undocumented = routes.filter((r) => !r.documented && r.path.length > 0).map((r) => `${r.method} ${r.url}`);
    expect(undocumented).toEqual([]);
  });

  it('never answers 5xx, and answers every 4xx with the error shape', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      try {
        await fc.assert(
          fc.asyncProperty(requests(route), async (request) => {
            const res = await stack.app.inject(request);
            if (res.statusCode >= 500) throw new Error(`${res.statusCode} ${res.body.slice(0, 300)} for ${describeRequest(request)}`);
            if (res.statusCode >= 400 && request.method !== 'HEAD') {
              const problem = errorShapeProblem(res);
              if (problem) throw new Error(`${res.statusCode} ${problem}: ${res.body.slice(0, 300)} for ${describeRequest(request)}`);
            }
          }),
          { numRuns: RUNS_PER_ROUTE, endOnFailure: true },
        );
      } catch (err) {
        failures.push(`${route.method} ${route.url}: ${(err as Error).message.split('\n').find((l) => l.startsWith('Error: ') || l.includes(' for ')) ?? (err as Error).message.slice(0, 500)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

