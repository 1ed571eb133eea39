import { sendJson } from '../http/io';
import type { Router } from '../http/router';
import type { SandboxState } from '../state';
import { approveEndpoint, authEndpoint, writeConsentError } from './consent-route';
import { OAuthError, revokeEndpoint, tokenEndpoint, writeOAuthError } from './token-route';

const CERTS_CACHE = { 'cache-control': 'public, max-age=21600, must-revalidate, no-transform' };

/** OAuth 2.0 endpoints plus the signing-key documents that ID and push tokens verify against. */
export function registerOAuthRoutes(router: Router, state: SandboxState): void {
  router.add('GET', '/o/oauth2/v2/auth', (r) => authEndpoint(state, r), writeConsentError);
  router.add('POST', '/o/oauth2/v2/auth/approve', (r) => approveEndpoint(state, r), writeConsentError);
  router.add('POST', '/token', (r) => tokenEndpoint(state, r), writeOAuthError);
  router.add('POST', '/revoke', (r) => revokeEndpoint(state, r), writeOAuthError);
  router.add('GET', '/oauth2/v3/certs', (r) => sendJson(r.res, 200, { keys: [state.signer.jwk] }, CERTS_CACHE), writeOAuthError);
  router.add('GET', '/oauth2/v1/certs', (r) => sendJson(r.res, 200, { [state.signer.kid]: state.signer.certPem }, CERTS_CACHE), writeOAuthError);
  router.add(
    'GET',
    '/oauth2/v3/userinfo',
    (r) => {
      const token = /^Bearer\s+(\S+)$/i.exec(r.req.headers.authorization ?? '')?.[1] ?? '';
      const check = state.grants.checkAccess(token);
      if (!check.ok) throw new OAuthError(401, 'invalid_request', 'Invalid Credentials');
      const account = state.requireAccount(check.grant.address);
      sendJson(r.res, 200, { sub: account.sub, email: account.address, email_verified: true, ...(account.name ? { name: account.name } : {}) });
    },
    writeOAuthError,
  );
}
