import { escapeHtml, readBody, redirect, sendHtml } from '../http/io';
import type { RouteRequest } from '../http/router';
import { SandboxError, type SandboxState } from '../state';

interface AuthRequest {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string | null;
  accessType: string;
  prompt: string;
}

class ConsentError extends Error {}

function readAuthRequest(sandbox: SandboxState, params: URLSearchParams): AuthRequest {
  const clientId = params.get('client_id') ?? '';
  if (clientId !== sandbox.options.clientId) throw new ConsentError('Error 401: invalid_client. The OAuth client was not found.');
  const redirectUri = params.get('redirect_uri') ?? '';
  if (!/^https?:\/\//.test(redirectUri)) throw new ConsentError('Error 400: invalid_request. Missing or invalid redirect_uri.');
  if ((params.get('response_type') ?? '') !== 'code') throw new ConsentError('Error 400: unsupported_response_type. Only response_type=code is supported.');
  const scopes = (params.get('scope') ?? '').split(/\s+/).filter(Boolean);
  if (scopes.length === 0) throw new ConsentError('Error 400: invalid_request. Missing required parameter: scope');
  return { clientId, redirectUri, scopes, state: params.get('state'), accessType: params.get('access_type') ?? 'online', prompt: params.get('prompt') ?? '' };
}

function withQuery(base: string, params: Record<string, string | null>): string {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) if (v !== null) url.searchParams.set(k, v);
  return url.toString();
}

/**
 * Approves for one account. As at Google, a refresh token comes only with access_type=offline, and
 * only on first consent unless prompt=consent asks for a new one.
 */
function approve(sandbox: SandboxState, request: AuthRequest, address: string): string {
  const account = sandbox.requireAccount(address);
  const offline = request.accessType === 'offline';
  const reconsent = request.prompt.split(/\s+/).includes('consent');
  const existing = sandbox.grants.hasLiveConsent(account.address, request.clientId) && !reconsent;
  const grant = sandbox.grants.createGrant(account.address, request.clientId, request.scopes, 'consent');
  const code = sandbox.grants.issueCode(grant, request.redirectUri, offline && !existing);
  return withQuery(request.redirectUri, { state: request.state, code, scope: request.scopes.join(' '), authuser: '0', prompt: reconsent ? 'consent' : 'none' });
}

function consentPage(sandbox: SandboxState, params: URLSearchParams): string {
  const hidden = [...params].map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('');
  const accounts = [...sandbox.accounts.values()]
    .map((a) => `<li><button name="account" value="${escapeHtml(a.address)}">${escapeHtml(a.name ? `${a.name} <${a.address}>` : a.address)}</button></li>`)
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Sign in - mailsync Gmail sandbox</title></head><body>
<h1>Choose an account</h1><p>to continue to <b>${escapeHtml(params.get('client_id') ?? '')}</b> (scopes: ${escapeHtml(params.get('scope') ?? '')})</p>
<form method="post" action="/o/oauth2/v2/auth/approve">${hidden}<ul>${accounts || '<li>No sandbox accounts yet.</li>'}</ul>
<p><label>Or create one: <input name="new_account" type="email" placeholder="someone@example.com"></label> <button name="create" value="1">Create and allow</button></p>
<p><button name="deny" value="1">Cancel</button></p></form></body></html>`;
}

/** GET /o/oauth2/v2/auth: auto-approves a login_hint that names a sandbox account, otherwise shows the chooser. */
export function authEndpoint(sandbox: SandboxState, r: RouteRequest): void {
  const params = r.url.searchParams;
  const request = readAuthRequest(sandbox, params);
  const hint = params.get('login_hint');
  if (hint && sandbox.account(hint)) return redirect(r.res, approve(sandbox, request, hint));
  sendHtml(r.res, 200, consentPage(sandbox, params));
}

/** POST /o/oauth2/v2/auth/approve: the chooser's form. */
export async function approveEndpoint(sandbox: SandboxState, r: RouteRequest): Promise<void> {
  const form = new URLSearchParams((await readBody(r.req, 64 * 1024)).toString('utf8'));
  const request = readAuthRequest(sandbox, form);
  if (form.get('deny')) return redirect(r.res, withQuery(request.redirectUri, { error: 'access_denied', state: request.state }));
  let address = form.get('account') ?? '';
  if (form.get('create')) address = sandbox.ensureAccount(form.get('new_account') ?? '').address;
  redirect(r.res, approve(sandbox, request, address));
}

export function writeConsentError(res: Parameters<typeof sendHtml>[0], err: unknown): void {
  const message = err instanceof ConsentError || err instanceof SandboxError ? err.message : 'Error 500: something went wrong.';
  sendHtml(res, 400, `<!doctype html><html><body><h1>Access blocked</h1><p>${escapeHtml(message)}</p></body></html>`);
}
