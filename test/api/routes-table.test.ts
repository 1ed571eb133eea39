import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../src/event-types';
import { startStack, type Stack } from '../helpers/stack';

describe('route table', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('gives every API route a response schema and an explicit auth mode', async () => {
    await stack.app.ready();
    const own = stack.app.routeTable.filter((r) => !r.fromDocs);
    expect(own.length).toBeGreaterThan(5);
    const missing = own.filter((r) => !r.hasResponseSchema || !r.auth).map((r) => `${String(r.method)} ${r.url}`);
    expect(missing).toEqual([]);
  });

  it('exempts only health and provider webhooks from the API key', async () => {
    await stack.app.ready();
    const open = stack.app.routeTable.filter((r) => !r.fromDocs && r.auth === 'none').map((r) => r.url).sort();
    for (const url of open) expect(url).toMatch(/^\/(healthz|readyz|metrics|webhooks\/|v1\/oauth\/)/);
  });

  it('serves the OpenAPI document at /docs', async () => {
    const res = await stack.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/connections', '/v1/connections/{id}', '/v1/users/{id}']));
  });

  it('lists every event type with its payload schema in the OpenAPI document, and refuses an unknown type', async () => {
    const doc = (await stack.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const schemas = doc.components?.schemas ?? {};
    for (const type of EVENT_TYPES) expect(schemas[`EventPayload.${type}`], type).toMatchObject({ type: 'object', title: type });
    const bad = await stack.api('GET', '/v1/events?type=message.exploded');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });
});
