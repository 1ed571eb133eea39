import type { Req } from '../http/request';
import type { HttpResponse } from '../http/respond';
import type { SandboxState } from '../state';
import { clientInfo, splitScopes } from './claims';

const CODE_LIFETIME_MS = 10 * 60_000;

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const html = (status: number, body: string): HttpResponse => ({ status, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: `<!doctype html><html><body>${body}</body></html>` });

/** Sends the result to the redirect URI in the requested response mode. */
function reply(redirectUri: string, mode: string, params: Record<string, string>): HttpResponse {
  if (mode === 'form_post') {
    const inputs = Object.entries(params).map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('');
    return html(200, `<form method="post" action="${escapeHtml(redirectUri)}">${inputs}<noscript><button>Continue</button></noscript></form><script>document.forms[0].submit()</script>`);
  }
  const url = new URL(redirectUri);
  const encoded = new URLSearchParams(params).toString();
  if (mode === 'fragment') url.hash = encoded;
  else for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return { status: 302, headers: { Location: url.toString() } };
}

function consentPage(req: Req, hint: string): HttpResponse {
  const hidden = [...req.query].filter(([k]) => k !== 'login_hint' && k !== 'sandbox_consent')
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('');
  return html(
    200,
    `<h1>mailsync sandbox: sign in and consent</h1><form method="get">${hidden}<input type="hidden" name="sandbox_consent" value="1">` +
      `<label>Mailbox address <input name="login_hint" type="email" required value="${escapeHtml(hint)}"></label> <button>Accept</button></form>`,
  );
}

/**
 * GET /{tenant}/oauth2/v2.0/authorize. A login_hint naming a sandbox account is approved at once;
 * otherwise a minimal page asks for the address (and creates the account on consent).
 */
export function handleAuthorize(state: SandboxState, req: Req): HttpResponse {
  const q = (name: string) => req.query.get(name) ?? '';
  const redirectUri = q('redirect_uri');
  if (q('client_id') !== state.config.clientId) return html(400, `AADSTS700016: Application with identifier '${escapeHtml(q('client_id'))}' was not found in the directory.`);
  if (!/^https?:\/\//.test(redirectUri)) return html(400, 'AADSTS900144: The request body must contain the following parameter: redirect_uri.');
  const mode = q('response_mode') || 'query';
  const base: Record<string, string> = q('state') ? { state: q('state') } : {};
  if (q('response_type') !== 'code') return reply(redirectUri, mode, { ...base, error: 'unsupported_response_type', error_description: 'AADSTS70005: response_type must be code.' });
  const hint = q('login_hint').trim();
  const consented = q('sandbox_consent') === '1' && hint !== '';
  const mailbox = consented ? state.ensureMailbox(hint) : hint ? state.mailbox(hint) : undefined;
  if (!mailbox) {
    if (q('prompt') === 'none') return reply(redirectUri, mode, { ...base, error: 'login_required', error_description: 'AADSTS50058: A silent sign-in request was sent but no user is signed in.' });
    return consentPage(req, hint);
  }
  const code = state.grants.issueCode({
    userId: mailbox.userId,
    clientId: state.config.clientId,
    redirectUri,
    scopes: splitScopes(q('scope')),
    codeChallenge: q('code_challenge') || null,
    codeChallengeMethod: q('code_challenge_method') || null,
    nonce: q('nonce') || null,
    expiresAt: Date.now() + CODE_LIFETIME_MS,
  });
  const info: Record<string, string> = q('client_info') === '1' ? { client_info: clientInfo(mailbox.userId, state.config.tenant) } : {};
  return reply(redirectUri, mode, { code, ...info, ...base, session_state: mailbox.userId });
}
