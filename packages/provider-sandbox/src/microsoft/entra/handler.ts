import type { Req } from '../http/request';
import { json, type HttpResponse } from '../http/respond';
import type { SandboxState } from '../state';
import { handleAuthorize } from './authorize';
import { entraError, unknownTenant } from './errors';
import { instanceDiscovery, isKnownTenant, openIdConfiguration } from './metadata';
import { handleToken } from './token';

const path = (req: Req, from: number) => req.segments.slice(from).join('/').toLowerCase();

/** Entra endpoints under /{tenant}/..., or null when the path is not one of them. */
export function handleEntra(state: SandboxState, req: Req): HttpResponse | null {
  const [tenant = '', ...rest] = req.segments;
  const { config } = state;
  if (tenant.toLowerCase() === 'common' && path(req, 1) === 'discovery/instance') return json(200, instanceDiscovery(config));
  const route = `${req.method} ${rest.join('/').toLowerCase()}`;
  const known = [
    'GET v2.0/.well-known/openid-configuration',
    'GET oauth2/v2.0/authorize',
    'POST oauth2/v2.0/token',
    'GET oauth2/v2.0/logout',
    'GET discovery/v2.0/keys',
  ];
  if (!known.includes(route)) return null;
  if (!isKnownTenant(config, tenant)) return entraError(config.origin, unknownTenant(tenant));
  switch (route) {
    case 'GET v2.0/.well-known/openid-configuration':
      return json(200, openIdConfiguration(config, tenant));
    case 'GET oauth2/v2.0/authorize':
      return handleAuthorize(state, req);
    case 'POST oauth2/v2.0/token':
      return handleToken(state, req);
    case 'GET discovery/v2.0/keys':
      return json(200, { keys: [] });
    default: {
      const next = req.query.get('post_logout_redirect_uri');
      return next ? { status: 302, headers: { Location: next } } : { status: 200, headers: { 'Content-Type': 'text/html' }, body: '<!doctype html><p>Signed out.</p>' };
    }
  }
}
