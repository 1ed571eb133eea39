/**
 * A reused access token the provider refused. Access tokens are kept in memory and reused until near
 * expiry (access-token-cache.ts); a provider may still end one early while the grant behind it works
 * (Entra's continuous access evaluation, a Google session reset, a sandbox restart). Such a refusal
 * says nothing about the grant yet: the token is evicted and the attempt retried, and the next attempt
 * redeems a fresh token, whose refusal (or a refused redemption) is the dead grant it looks like.
 */
import type { Provider } from '../provider';
import { classifyProviderError } from './errors';
import type { MailboxAdapter } from './types';

const STALE = Symbol.for('mailsync.staleAccessToken');

/** Whether the error is a refusal of a reused access token, marked by `evictOnRefusal`. */
export function isStaleAccessToken(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[STALE] === true;
}

/** What a mailbox client knows of its token: whether it started from a reused one and has redeemed none since. */
export interface TokenOrigin {
  reusedOnly(): boolean;
  evict(): void;
}

/**
 * The adapter with each call watched: a credentials refusal (auth_revoked) while the client still holds
 * only the reused token evicts it and marks the error, which the activity maps to a retry instead of
 * needs_reauth. The error object itself is kept, so whatever reads its status (send fate) reads it as before.
 */
export function evictOnRefusal(provider: Provider, adapter: MailboxAdapter, origin: TokenOrigin): MailboxAdapter {
  const watched = {} as Record<string, unknown>;
  for (const [name, value] of Object.entries(adapter)) {
    watched[name] =
      typeof value !== 'function'
        ? value
        : async (...args: unknown[]) => {
            try {
              return await (value as (...a: unknown[]) => Promise<unknown>).apply(adapter, args);
            } catch (err) {
              if (typeof err === 'object' && err !== null && origin.reusedOnly() && classifyProviderError(provider, err, Date.now()).kind === 'auth_revoked') {
                origin.evict();
                Object.defineProperty(err, STALE, { value: true });
              }
              throw err;
            }
          };
  }
  return watched as unknown as MailboxAdapter;
}
