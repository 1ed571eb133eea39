import { newGuid } from '../ids';
import type { HttpResponse } from '../http/respond';

/** Entra token endpoint errors (provider-facts 2.6); clients branch on `error`, MSAL also on `suberror`. */
export interface EntraErrorSpec {
  status: number;
  error: string;
  aadsts: number;
  description: string;
  suberror?: string;
}

export const ENTRA_ERRORS = {
  revoked: {
    status: 400,
    error: 'invalid_grant',
    aadsts: 50173,
    description: 'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.',
    suberror: 'bad_token',
  },
  malformedRefreshToken: { status: 400, error: 'invalid_grant', aadsts: 9002313, description: 'Invalid request. Request is malformed or invalid.' },
  grantOtherClient: { status: 400, error: 'invalid_grant', aadsts: 70000, description: 'Provided grant is invalid or malformed.' },
  codeExpired: { status: 400, error: 'invalid_grant', aadsts: 70008, description: 'The provided authorization code or refresh token has expired due to inactivity.' },
  codeRedeemed: { status: 400, error: 'invalid_grant', aadsts: 54005, description: 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.' },
  pkceMismatch: { status: 400, error: 'invalid_grant', aadsts: 501481, description: 'The Code_Verifier does not match the code_challenge supplied in the authorization request.' },
  redirectMismatch: { status: 400, error: 'invalid_grant', aadsts: 50148, description: 'The redirect_uri does not match the one used in the authorization request.' },
  badSecret: {
    status: 401,
    error: 'invalid_client',
    aadsts: 7000215,
    description: 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
  },
  unsupportedGrant: { status: 400, error: 'unsupported_grant_type', aadsts: 70003, description: 'The app requested an unsupported grant type.' },
} satisfies Record<string, EntraErrorSpec>;

export const unknownClient = (clientId: string): EntraErrorSpec => ({
  status: 400,
  error: 'unauthorized_client',
  aadsts: 700016,
  description: `Application with identifier '${clientId}' was not found in the directory.`,
});

export const missingParameter = (name: string): EntraErrorSpec => ({
  status: 400,
  error: 'invalid_request',
  aadsts: 900144,
  description: `The request body must contain the following parameter: '${name}'.`,
});

/** .NET round-trip time ("o"): seven fractional digits, as Entra prints issue times. */
const dotnetTime = (ms: number): string => `${new Date(ms).toISOString().slice(0, -1)}0000Z`;

/** .NET TimeSpan text ("90.00:00:00", "00:00:20"), as Entra prints the inactivity limit. */
function timeSpan(ms: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const seconds = Math.floor(ms / 1000);
  const days = Math.floor(seconds / 86_400);
  const clock = `${pad(Math.floor((seconds % 86_400) / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
  const fraction = ms % 1000 ? `.${String(ms % 1000).padStart(3, '0')}0000` : '';
  return `${days ? `${days}.` : ''}${clock}${fraction}`;
}

/**
 * AADSTS700082 ExpiredOrRevokedGrantInactiveToken, worded as Entra answers it; the v2.0 endpoint adds
 * suberror bad_token, which MSAL turns into InteractionRequiredAuthError (provider-facts 2.6).
 */
export const refreshTokenExpired = (issuedAt: number, maxAgeMs: number): EntraErrorSpec => ({
  status: 400,
  error: 'invalid_grant',
  aadsts: 700082,
  description: `The refresh token has expired due to inactivity. The token was issued on ${dotnetTime(issuedAt)} and was inactive for ${timeSpan(maxAgeMs)}.`,
  suberror: 'bad_token',
});

export const unknownTenant = (tenant: string): EntraErrorSpec => ({ status: 400, error: 'invalid_tenant', aadsts: 90002, description: `Tenant '${tenant}' not found.` });

export function entraError(origin: string, spec: EntraErrorSpec): HttpResponse {
  const traceId = newGuid();
  const correlationId = newGuid();
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  const body = {
    error: spec.error,
    error_description: `AADSTS${spec.aadsts}: ${spec.description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [spec.aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `${origin}/error?code=${spec.aadsts}`,
    ...(spec.suberror ? { suberror: spec.suberror } : {}),
  };
  return { status: spec.status, headers: { 'Cache-Control': 'no-store, no-cache' }, body };
}
