import type { SandboxConfig } from '../config';

/** Tenant path segments the authority accepts: the sandbox tenant and the multi-tenant aliases. */
export const isKnownTenant = (config: SandboxConfig, tenant: string): boolean =>
  [config.tenant.toLowerCase(), 'common', 'organizations'].includes(tenant.toLowerCase());

export const issuerFor = (config: SandboxConfig): string => `${config.origin}/${config.tenant}/v2.0`;

export function openIdConfiguration(config: SandboxConfig, tenant: string): Record<string, unknown> {
  const base = `${config.origin}/${tenant}`;
  const multi = tenant.toLowerCase() === 'common' || tenant.toLowerCase() === 'organizations';
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: multi ? `${config.origin}/{tenantid}/v2.0` : issuerFor(config),
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${config.origin}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'email', 'oid'],
    tenant_region_scope: null,
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
  };
}

/** What MSAL's instance discovery asks `/common/discovery/instance` when the authority is not known. */
export function instanceDiscovery(config: SandboxConfig): Record<string, unknown> {
  const host = new URL(config.origin).host;
  return {
    tenant_discovery_endpoint: `${config.origin}/${config.tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  };
}
