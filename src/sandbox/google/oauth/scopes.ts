import type { GmailMethod } from '../limits/quota';

const GMAIL = 'https://www.googleapis.com/auth/gmail.';
const FULL = 'https://mail.google.com/';
const READ = [FULL, `${GMAIL}modify`, `${GMAIL}readonly`];
const METADATA = [...READ, `${GMAIL}metadata`];
const MODIFY = [FULL, `${GMAIL}modify`];
const SEND = [FULL, `${GMAIL}modify`, `${GMAIL}compose`, `${GMAIL}send`];

/** The scope a grant gets when the control API creates it: everything mailsync needs. */
export const DEFAULT_GRANT_SCOPES = [FULL, 'openid', 'https://www.googleapis.com/auth/userinfo.email'];

/** Scopes that allow each method (from the Gmail discovery document's per-method scope lists). */
const ALLOWED: Record<GmailMethod, string[]> = {
  getProfile: [...METADATA, `${GMAIL}compose`],
  'labels.list': [...METADATA, `${GMAIL}labels`],
  'messages.list': METADATA,
  'messages.get': METADATA,
  'messages.attachments.get': READ,
  'messages.send': SEND,
  'messages.modify': MODIFY,
  'messages.trash': MODIFY,
  'messages.untrash': MODIFY,
  'messages.delete': [FULL],
  'threads.list': METADATA,
  'threads.get': METADATA,
  'history.list': METADATA,
  watch: METADATA,
  stop: METADATA,
};

export function scopeAllows(scopes: string[], method: GmailMethod): boolean {
  return scopes.some((s) => ALLOWED[method].includes(s));
}

/** With only the metadata scope, Gmail refuses full/raw formats and the `q` search parameter. */
export function metadataOnly(scopes: string[]): boolean {
  return !scopes.some((s) => READ.includes(s));
}

/** Google adds an ID token when the grant has an OpenID scope. */
export function wantsIdToken(scopes: string[]): boolean {
  return scopes.some((s) => ['openid', 'email', 'profile'].includes(s) || s.startsWith('https://www.googleapis.com/auth/userinfo.'));
}
