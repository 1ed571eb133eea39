import type { GmailMethod } from '../types';

const G = 'https://www.googleapis.com/auth/gmail.';
const FULL = 'https://mail.google.com/';
const READ = [FULL, `${G}modify`, `${G}readonly`, `${G}metadata`];

/** Scopes that allow each method, from the Gmail discovery document. */
const ALLOWED: Record<GmailMethod, string[]> = {
  getProfile: [...READ, `${G}compose`],
  watch: READ,
  stop: READ,
  'history.list': READ,
  'labels.list': [...READ, `${G}labels`],
  'messages.list': READ,
  'messages.get': READ,
  'messages.attachments.get': [FULL, `${G}modify`, `${G}readonly`],
  'messages.send': [FULL, `${G}modify`, `${G}compose`, `${G}send`],
  'messages.insert': [FULL, `${G}modify`, `${G}insert`],
  'messages.import': [FULL, `${G}modify`, `${G}insert`],
  'messages.modify': [FULL, `${G}modify`],
  'messages.trash': [FULL, `${G}modify`],
  'messages.untrash': [FULL, `${G}modify`],
  'messages.delete': [FULL],
  'threads.get': READ,
  'threads.list': READ,
};

export function scopeAllows(scope: string, method: GmailMethod): boolean {
  const granted = new Set(scope.split(/\s+/));
  return ALLOWED[method].some((s) => granted.has(s));
}
