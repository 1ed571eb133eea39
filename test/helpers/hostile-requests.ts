/**
 * Hostile requests for property tests of the API (test/api/hostile-input.test.ts): for one route, as the
 * OpenAPI document describes it, requests whose path parameters, query strings, bodies, content types
 * and API keys are hostile values mixed with values the route accepts.
 */
import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { ERROR_CODES } from '../../src/api/errors';
import { encodeCursor } from '../../src/pagination/cursor';
import { API_KEY } from './stack';

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  format?: string;
  minimum?: number;
  maximum?: number;
}

export interface RouteInput {
  method: string;
  url: string;
  path: { name: string; schema: JsonSchema }[];
  query: { name: string; schema: JsonSchema }[];
  body: JsonSchema | null;
}

/** Rows a request can point at, so that some hostile requests get past the lookups. */
const KNOWN_IDS = ['loc-1', 'u1', 'c1', 'gmail', 'outlook'];

const BIG = 'x'.repeat(5_000);
const NASTY = [
  '', ' ', '0', '-1', '1.5', '9223372036854775807', '9223372036854775808', '-9223372036854775809', '18446744073709551616', '9'.repeat(400),
  '1e308', '1e400', 'NaN', 'Infinity', '-Infinity', '0x1F', 'true', 'null', 'undefined', '[]', '{}', '__proto__', 'constructor', 'prototype',
  '../../etc/passwd', '%', '%zz', '%00', '\u0000', 'a\u0000b', '\ud800', '\udfff', '😀', 'é', 'İ', '\u202e', '<script>alert(1)</script>', "' OR 1=1 --",
  '"', '\\', 'x'.repeat(200), 'x'.repeat(201), BIG, '2024-02-30T00:00:00.000000Z', 'a@b', 'javascript:alert(1)',
];

const hostileText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY), weight: 4 },
  { arbitrary: fc.constantFrom(...KNOWN_IDS), weight: 2 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 1 },
  { arbitrary: fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String), weight: 1 },
  { arbitrary: fc.double().map(String), weight: 1 },
  { arbitrary: fc.integer({ min: 0, max: 20_000 }).map((n) => 'y'.repeat(n)), weight: 1 },
);

/** Any JSON value, hostile at every level: huge and fractional numbers, odd strings, nesting, prototype keys. */
const { json } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileText,
    fc.integer(),
    fc.double(),
    fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -0, 1e308, true, false, null),
    fc.array(tie('json'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'id', 'name'), fc.string({ maxLength: 10 })), tie('json'), { maxKeys: 4 }),
  ),
}));

/** Values a field's schema accepts (enum members, bounds, formats): mixed with hostile ones, they get requests past validation. */
function plausible(schema: JsonSchema | undefined): unknown[] {
  if (!schema) return [];
  if (schema.const !== undefined) return [schema.const];
  if (schema.enum) return schema.enum;
  if (schema.anyOf) return schema.anyOf.flatMap(plausible);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'integer':
    case 'number':
      return [schema.minimum ?? 0, schema.maximum ?? 1, 1];
    case 'boolean':
      return [true, false];
    case 'array':
      return [[], plausible(schema.items).slice(0, 1)];
    case 'object':
      return [{}];
    case 'string':
      if (schema.format === 'email') return ['c@client.test'];
      if (schema.format === 'date-time') return ['2026-01-01T00:00:00.000Z'];
      if (schema.format === 'uri') return ['https://crm.test/after'];
      return KNOWN_IDS;
    default:
      return [];
  }
}

const field = (schema: JsonSchema | undefined) => {
  const ok = plausible(schema);
  return ok.length ? fc.oneof(fc.constantFrom(...ok), json) : json;
};

const wellFormed = (s: string) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
const enc = (s: string) => encodeURIComponent(wellFormed(s));
const asText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '');

const badEncodings = fc.constantFrom('%E0%A4%A', '%zz', '%', '%C0%AF', 'a%2Fb', '%FF%FE', '..%2F..');

/** A cursor as the API writes them (base64url JSON), for a list this request may own, with a hostile position. */
const forgedCursor = (ids: string[]) =>
  fc
    .tuple(fc.constantFrom('locations', 'users', 'connections', ...ids.flatMap((id) => ['contacts', 'messages', 'threads', 'conversations', 'decisions'].map((k) => `${k}:${id}`))), hostileText, hostileText)
    .map(([list, key, id]) => encodeCursor(list, { key, id }));

const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'text/plain',
  'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/vnd.api+json', '*/*', 'application/json;;;',
];
const RAW_BODIES = [
  '', '{', '{"a":', 'nul', '[1,2', '"\\u0000"', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}', '{"a":1e400}',
  '{"a":9223372036854775808}', '\u0000', `${'['.repeat(5_000)}${']'.repeat(5_000)}`, `${'{"a":'.repeat(3_000)}1${'}'.repeat(3_000)}`, 'x'.repeat(1_100_000),
];

export function requests(route: RouteInput): fc.Arbitrary<InjectOptions> {
  const pathValue = fc.oneof({ arbitrary: hostileText.map(enc), weight: 5 }, { arbitrary: fc.constantFrom(...KNOWN_IDS), weight: 3 }, { arbitrary: badEncodings, weight: 1 });
  const params = fc.tuple(...route.path.map((p) => (plausible(p.schema).length ? fc.oneof(fc.constantFrom(...plausible(p.schema).map(asText)), pathValue) : pathValue)));
  return params.chain((values) => {
    const url = route.path.reduce((u, p, i) => u.replace(`:${p.name}`, values[i] ?? ''), route.url);
    const ids = values.map((v) => decodeURIComponentOr(v));
    const queryValue = (name: string, schema: JsonSchema) =>
      name === 'cursor' ? fc.oneof(forgedCursor(ids), field(schema).map(asText)) : field(schema).map(asText);
    const pair = fc.oneof(
      ...route.query.map((q) => queryValue(q.name, q.schema).map((v) => `${enc(q.name)}=${enc(v)}`)),
      hostileText.map((k) => `${enc(k)}=1`),
      fc.constantFrom('&', '&&=&', '=x', 'a[b]=1', 'limit=1&limit=2', '%zz=1', '__proto__[x]=1', 'after=%00'),
    );
    const query = fc.array(pair, { maxLength: 4 }).map((pairs) => (pairs.length ? `?${pairs.join('&')}` : ''));
    const bodyObject = route.body?.properties
      ? fc.record(Object.fromEntries(Object.entries(route.body.properties).map(([name, schema]) => [name, field(schema)])), { requiredKeys: [] })
      : fc.constant({});
    const payload = fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 1 },
      { arbitrary: bodyObject.map((b) => JSON.stringify(b)), weight: 4 },
      { arbitrary: json.map((v) => JSON.stringify(v) ?? 'null'), weight: 2 },
      { arbitrary: fc.constantFrom(...RAW_BODIES), weight: 2 },
      { arbitrary: fc.string({ unit: 'binary', maxLength: 100 }), weight: 1 },
    );
    const contentType = fc.oneof({ arbitrary: fc.constant('application/json'), weight: 4 }, { arbitrary: fc.constantFrom(undefined, ...CONTENT_TYPES), weight: 1 });
    const authorization = fc.oneof(
      { arbitrary: fc.constant(`Bearer ${API_KEY}`), weight: 9 },
      { arbitrary: fc.oneof(fc.constant(''), fc.string({ maxLength: 60 }), fc.string({ maxLength: 60 }).map((s) => `Bearer ${s}`)), weight: 1 },
    );
    return fc.record({ query, payload, contentType, authorization }).map(({ query: q, payload: p, contentType: ct, authorization: auth }) => {
      const headers: Record<string, string> = { authorization: auth };
      if (ct !== undefined) headers['content-type'] = ct;
      return { method: route.method as InjectOptions['method'], url: `${url}${q}`, headers, ...(p === undefined || route.method === 'GET' || route.method === 'HEAD' ? {} : { payload: p }) };
    });
  });
}

function decodeURIComponentOr(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Why a 4xx answer is not the project's error shape (src/api/errors.ts), or null when it is. */
export function errorShapeProblem(res: LightMyRequestResponse): string | null {
  if (!String(res.headers['content-type']).startsWith('application/json')) return `content-type ${String(res.headers['content-type'])}`;
  let body: unknown;
  try {
    body = res.json();
  } catch {
    return 'not JSON';
  }
  const outer = body as { error?: { code?: unknown; message?: unknown; details?: unknown } };
  const e = outer?.error;
  if (!e || typeof e !== 'object' || Object.keys(outer).length !== 1) return 'not { error }';
  if (typeof e.code !== 'string' || !(e.code in ERROR_CODES)) return `code ${String(e.code)} is not in the catalogue`;
  if (typeof e.message !== 'string') return 'message is not a string';
  if (e.details !== undefined && (typeof e.details !== 'object' || e.details === null || Array.isArray(e.details))) return 'details is not an object';
  const extra = Object.keys(e).filter((k) => !['code', 'message', 'details'].includes(k));
  return extra.length ? `unexpected fields ${extra.join(', ')}` : null;
}

export const describeRequest = (r: InjectOptions) => {
  const payload = typeof r.payload === 'string' ? r.payload : '';
  return `${String(r.method)} ${String(r.url).slice(0, 300)} ${JSON.stringify(r.headers).slice(0, 200)} body(${payload.length}) ${payload.slice(0, 200)}`;
};

export interface OpenApiOperation {
  parameters?: { in: string; name: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

export function routeInput(method: string, url: string, paths: Record<string, Record<string, OpenApiOperation>>): RouteInput & { documented: boolean } {
  const openApiPath = url.replace(/:([A-Za-z]+)/g, '{$1}');
  const op = paths[openApiPath]?.[method === 'HEAD' ? 'get' : method.toLowerCase()];
  const params = op?.parameters ?? [];
  const names = [...url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
  return {
    method,
    url,
    documented: Boolean(op),
    path: names.map((name) => ({ name, schema: params.find((p) => p.in === 'path' && p.name === name)?.schema ?? {} })),
    query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
    body: op?.requestBody?.content?.['application/json']?.schema ?? null,
  };
}
