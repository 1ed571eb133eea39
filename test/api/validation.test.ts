import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack';

describe('API input checks', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
    await stack.api('PUT', '/v1/locations/loc-1', { name: 'Main office' });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('answers 401 with the error shape when the API key is missing or wrong', async () => {
    const missing = await stack.app.inject({ method: 'GET', url: '/v1/connections/conn_x' });
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.stringContaining('missing API key') } });
    const wrong = await stack.api('GET', '/v1/connections/conn_x', undefined, { authorization: 'Bearer not-the-key' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('UNAUTHORIZED');
  });

  it('leaves /healthz open', async () => {
    const res = await stack.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('reports readiness of Postgres and Temporal', async () => {
    const res = await stack.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', temporal: 'ok' } });
  });

  const cases: { name: string; method: 'PUT' | 'POST' | 'GET' | 'DELETE'; url: string; body?: unknown; status: number; code: string; field: string }[] = [
    { name: 'location without name', method: 'PUT', url: '/v1/locations/loc-2', body: {}, status: 400, code: 'VALIDATION_FAILED', field: 'body.name' },
    { name: 'location with an unknown field', method: 'PUT', url: '/v1/locations/loc-2', body: { name: 'x', colour: 'red' }, status: 400, code: 'VALIDATION_FAILED', field: 'body.colour' },
    { name: 'user with a bad email', method: 'PUT', url: '/v1/users/u1', body: { email: 'nope', name: 'U', locationIds: [] }, status: 400, code: 'VALIDATION_FAILED', field: 'body.email' },
    { name: 'user in an unknown location', method: 'PUT', url: '/v1/users/u1', body: { email: 'u@x.test', name: 'U', locationIds: ['ghost'] }, status: 422, code: 'UNKNOWN_REFERENCE', field: 'ghost' },
    { name: 'contact in an unknown location', method: 'PUT', url: '/v1/locations/ghost/contacts/c1', body: { email: 'c@x.test' }, status: 404, code: 'NOT_FOUND', field: 'ghost' },
    { name: 'contact assigned to an unknown user', method: 'PUT', url: '/v1/locations/loc-1/contacts/c1', body: { email: 'c@x.test', assignedUserId: 'ghost' }, status: 422, code: 'UNKNOWN_REFERENCE', field: 'assignedUserId' },
    { name: 'contact with a bad createdAt', method: 'PUT', url: '/v1/locations/loc-1/contacts/c1', body: { email: 'c@x.test', createdAt: 'yesterday' }, status: 400, code: 'VALIDATION_FAILED', field: 'body.createdAt' },
    { name: 'connection without provider', method: 'POST', url: '/v1/connections', body: { locationId: 'loc-1', userId: 'u1', refreshToken: 't' }, status: 400, code: 'VALIDATION_FAILED', field: 'body.provider' },
    { name: 'connection with an unknown provider', method: 'POST', url: '/v1/connections', body: { locationId: 'loc-1', userId: 'u1', provider: 'yahoo', refreshToken: 't' }, status: 400, code: 'VALIDATION_FAILED', field: 'body.provider' },
    { name: 'connection for an unknown user', method: 'POST', url: '/v1/connections', body: { locationId: 'loc-1', userId: 'ghost', provider: 'gmail', refreshToken: 't' }, status: 422, code: 'UNKNOWN_REFERENCE', field: 'ghost' },
    { name: 'unknown connection', method: 'GET', url: '/v1/connections/conn_missing', status: 404, code: 'NOT_FOUND', field: 'conn_missing' },
    { name: 'disconnect of an unknown connection', method: 'DELETE', url: '/v1/connections/conn_missing', status: 404, code: 'NOT_FOUND', field: 'conn_missing' },
    { name: 'id with forbidden characters', method: 'GET', url: '/v1/connections/a%20b', status: 400, code: 'VALIDATION_FAILED', field: 'params.id' },
    { name: 'unknown route', method: 'GET', url: '/v1/nowhere', status: 404, code: 'NOT_FOUND', field: '/v1/nowhere' },
  ];

  for (const c of cases) {
    it(`rejects ${c.name} with ${c.status} ${c.code} naming ${c.field}`, async () => {
      const res = await stack.api(c.method, c.url, c.body);
      expect(res.status).toBe(c.status);
      expect(res.body.error.code).toBe(c.code);
      expect(res.body.error.message).toContain(c.field);
    });
  }

  it('stores a valid directory and echoes it back', async () => {
    const user = await stack.api('PUT', '/v1/users/u1', { email: 'Owner@Example.test', name: 'Owner', locationIds: ['loc-1'] });
    expect(user.status).toBe(200);
    expect(user.body).toMatchObject({ id: 'u1', email: 'owner@example.test', locationIds: ['loc-1'] });
    const contact = await stack.api('PUT', '/v1/locations/loc-1/contacts/c1', {
      email: 'Client@Example.test', name: 'Client', assignedUserId: 'u1', createdAt: '2026-01-01T00:00:00.000Z',
    });
    expect(contact.status).toBe(200);
    expect(contact.body).toMatchObject({ locationId: 'loc-1', id: 'c1', email: 'client@example.test', assignedUserId: 'u1', createdAt: '2026-01-01T00:00:00.000Z' });
    const row = await stack.db.selectFrom('contacts').selectAll().where('id', '=', 'c1').executeTakeFirstOrThrow();
    expect(row.email).toBe('client@example.test');
  });

  it('answers a feed position past the bigint range and an over-long path id with the error shape, not a 500 or a bare 414', async () => {
    const after = await stack.api('GET', '/v1/events?after=9223372036854775808');
    expect(after.status).toBe(400);
    expect(after.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('querystring.after') });
    expect((await stack.api('GET', '/v1/events?after=9223372036854775807')).status).toBe(200);
    const long = await stack.api('GET', `/v1/connections/${'x'.repeat(150)}`);
    expect(long.status).toBe(404);
    expect(long.body.error.code).toBe('NOT_FOUND');
    for (const length of [201, 5_000]) {
      const tooLong = await stack.api('GET', `/v1/connections/${'x'.repeat(length)}`);
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('params.id'), details: { fields: ['params.id'] } });
    }
    // Longer than a real server's request line: refused before routing, in the same shape.
    const huge = await stack.api('GET', `/v1/connections/${'x'.repeat(20_000)}`);
    expect(huge).toEqual({ status: 400, body: { error: { code: 'VALIDATION_FAILED', message: 'params: a path parameter is over 16384 characters', details: { fields: ['params'] } } } });
    const undecodable = await stack.api('GET', '/v1/connections/%E0%A4%A');
    expect(undecodable).toEqual({ status: 400, body: { error: { code: 'VALIDATION_FAILED', message: 'params: the path is not valid percent-encoding', details: { fields: ['params'] } } } });
  });

  it('refuses NUL (U+0000) in any field, naming it, before Postgres would', async () => {
    const body = await stack.api('PUT', '/v1/locations/loc-nul', { name: 'Main\u0000office' });
    expect(body).toEqual({ status: 400, body: { error: { code: 'VALIDATION_FAILED', message: 'body.name must not contain the NUL character (U+0000)', details: { fields: ['body.name'] } } } });
    const query = await stack.api('GET', '/v1/oauth/gmail/authorize?state=a%00b');
    expect(query.status).toBe(400);
    expect(query.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: ['querystring.state'] } });
    expect(await stack.db.selectFrom('locations').select('id').where('id', '=', 'loc-nul').execute()).toEqual([]);
  });

  it('refuses a forged cursor whose position Postgres would refuse', async () => {
    const forged = Buffer.from(JSON.stringify(['locations', '2024-02-30T00:00:00.000000Z', 'loc-1'])).toString('base64url');
    const res = await stack.api('GET', `/v1/locations?cursor=${forged}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: ['querystring.cursor'] } });
  });
});
