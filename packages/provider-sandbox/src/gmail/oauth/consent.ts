import type { SandboxState } from '../state';

export type AuthParams = Record<string, string | undefined>;

export type AuthAnswer = { kind: 'redirect'; location: string } | { kind: 'page'; status: number; html: string };

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Parameters carried from the authorization request through the consent form. */
const CARRIED = ['client_id', 'redirect_uri', 'scope', 'state', 'access_type', 'code_challenge', 'code_challenge_method'] as const;

function errorPage(status: number, error: string, detail: string): AuthAnswer {
  const html = `<!doctype html><title>Error ${status}: ${escapeHtml(error)}</title><h1>Error ${status}: ${escapeHtml(error)}</h1><p>${escapeHtml(detail)}</p>`;
  return { kind: 'page', status, html };
}

function redirectTo(redirectUri: string, params: Record<string, string | undefined>): AuthAnswer {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  return { kind: 'redirect', location: url.toString() };
}

function validate(state: SandboxState, p: AuthParams): AuthAnswer | null {
  if (p.client_id !== state.config.clientId) return errorPage(401, 'invalid_client', 'The OAuth client was not found.');
  if (!p.redirect_uri || !/^https?:\/\//.test(p.redirect_uri)) return errorPage(400, 'invalid_request', 'Missing or invalid redirect_uri.');
  if (p.response_type !== 'code') return errorPage(400, 'unsupported_response_type', 'Only response_type=code is supported.');
  if (!p.scope) return errorPage(400, 'invalid_request', 'Missing required parameter: scope');
  return null;
}

/** Approves for one account: a code bound to this client, redirect URI and PKCE challenge. */
export function approve(state: SandboxState, p: AuthParams, address: string | undefined): AuthAnswer {
  const invalid = validate(state, { ...p, response_type: 'code' });
  if (invalid) return invalid;
  const mailbox = address ? state.findMailbox(address) : undefined;
  if (!mailbox) return redirectTo(p.redirect_uri!, { error: 'access_denied', state: p.state });
  const code = state.tokens.createCode({
    address: mailbox.address, clientId: p.client_id!, redirectUri: p.redirect_uri!, scope: p.scope!, offline: p.access_type === 'offline',
    ...(p.code_challenge ? { codeChallenge: p.code_challenge, codeChallengeMethod: p.code_challenge_method ?? 'plain' } : {}),
  });
  return redirectTo(p.redirect_uri!, { state: p.state, code, scope: p.scope });
}

/** GET /o/oauth2/v2/auth: straight through for a known login_hint, otherwise a page to pick an account. */
export function authorize(state: SandboxState, p: AuthParams): AuthAnswer {
  const invalid = validate(state, p);
  if (invalid) return invalid;
  if (p.login_hint && state.findMailbox(p.login_hint)) return approve(state, p, p.login_hint);
  return { kind: 'page', status: 200, html: consentPage(state, p) };
}

function consentPage(state: SandboxState, p: AuthParams): string {
  const hidden = CARRIED.filter((k) => p[k] !== undefined)
    .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(p[k]!)}">`)
    .join('');
  const accounts = [...state.mailboxes.values()]
    .map((m) => `<li><button type="submit" name="address" value="${escapeHtml(m.address)}">${escapeHtml(m.name ? `${m.name} <${m.address}>` : m.address)}</button></li>`)
    .join('');
  return [
    '<!doctype html><html><head><meta charset="utf-8"><title>Sign in - Gmail sandbox</title></head><body>',
    '<h1>Choose an account</h1>',
    `<p>to continue to the app <code>${escapeHtml(p.client_id ?? '')}</code>, which asks for: <code>${escapeHtml(p.scope ?? '')}</code></p>`,
    `<form method="post" action="/o/oauth2/v2/auth/approve">${hidden}<ul>${accounts || '<li>No sandbox accounts yet.</li>'}</ul>`,
    '<button type="submit" name="deny" value="1">Cancel</button></form></body></html>',
  ].join('\n');
}
