import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../db/client';
import { loadCredentials, replaceCredentials, saveSubscriptionId } from '../db/repositories/accounts';
import type { AccountRow } from '../db/schema';
import { TokenCipherError, type SealedToken, type TokenCipher } from '../crypto/types';
import { FailureType } from '../failure-type';
import { createGmailClient, type GoogleEndpoints } from '../providers/gmail/client';
import { createGmailMailbox } from '../providers/gmail/mailbox';
import { createGraphClient, createUploadFetch } from '../providers/outlook/client';
import { createOutlookMailbox } from '../providers/outlook/mailbox';
import type { CallMeter, MailboxAdapter } from '../providers/types';
import { accountCallSlots } from '../providers/call-slots';
import { createAccessTokenCache, type AccessTokenCache, type AccessTokenReuse } from '../providers/access-token-cache';
import { evictOnRefusal, type TokenOrigin } from '../providers/stale-access-token';
import type { OutlookSettings } from './deps';
import type { FailureDetails } from './failures';
import { DEFAULT_INGEST_SETTINGS, type IngestSettings } from './sync/memory-bound';

/** Graph's MailboxConcurrency: requests in progress per mailbox (provider-facts 2.5). */
export const GRAPH_REQUESTS_IN_PROGRESS = 4;

/** Opens a provider mailbox for an account with its stored (decrypted) credentials. */
export type MailboxFactory = (account: AccountRow, meter: CallMeter, opts?: MailboxOptions) => Promise<MailboxAdapter>;

export interface MailboxOptions {
  /** Each provider call is cut off after this long without an answer (shorter than the activity's timeout). */
  callTimeoutMs?: number;
}

/**
 * Stored credentials that cannot be used (none stored, or they do not decrypt: a key id missing from the
 * keyring, a bad tag) will not heal by retrying; new credentials from the CRM will (R19). AuthRevoked
 * moves the mailbox to needs_reauth. The reason names the cause, never the token or key material.
 */
function unusableCredentials(account: AccountRow, cause: string): ApplicationFailure {
  const reason = `stored credentials of account ${account.id} ${cause}`;
  return ApplicationFailure.create({ type: FailureType.AuthRevoked, message: `${account.provider}: ${reason}`, nonRetryable: true, details: [{ reason } satisfies FailureDetails] });
}

function decryptRefreshToken(cipher: TokenCipher, account: AccountRow, sealed: SealedToken): string {
  try {
    return cipher.decrypt(sealed, account.id);
  } catch (err) {
    // TokenCipherError messages name key ids only; anything else might echo its input, so only its name is kept.
    const cause = err instanceof TokenCipherError ? `${err.code}: ${err.message}` : err instanceof Error ? err.name : 'unknown error';
    throw unusableCredentials(account, `cannot be decrypted (${cause})`);
  }
}

/**
 * Stores each refresh token Entra rotates the account's token into, sealed, over the row this
 * activity loaded and never over one written since: whatever is stored is the newest, and it is
 * what the next activity redeems.
 */
function storeRotations(deps: { db: Db; cipher: TokenCipher }, accountId: string, stored: { current: SealedToken }) {
  return async (refreshToken: string): Promise<void> => {
    const next = deps.cipher.encrypt(refreshToken, accountId);
    if (await replaceCredentials(deps.db, accountId, stored.current, next)) stored.current = next;
  };
}

/** Names one write of a credentials row (its iv is fresh per seal), never its content. */
function fingerprint(sealed: SealedToken): string {
  return sealed.iv.toString('base64');
}

/**
 * The account's access token from this worker's cache, when it was redeemed from (or rotated into)
 * the credentials row as stored now; each new token is filed under the row as it stands then.
 */
function reuseFor(cache: AccessTokenCache, accountId: string, stored: { current: SealedToken }): AccessTokenReuse & TokenOrigin {
  const current = cache.get(accountId, fingerprint(stored.current));
  let redeemed = false;
  return {
    current,
    onRedeemed: (token) => {
      redeemed = true;
      cache.put(accountId, fingerprint(stored.current), token);
    },
    reusedOnly: () => current !== null && !redeemed,
    evict: () => cache.evict(accountId),
  };
}

export function createMailboxFactory(deps: {
  db: Db;
  cipher: TokenCipher;
  google: GoogleEndpoints & { pubsubTopic: string };
  microsoft?: OutlookSettings;
  ingest?: Pick<IngestSettings, 'maxInlineMessageBytes'>;
  accessTokens?: AccessTokenCache;
}): MailboxFactory {
  const accessTokens = deps.accessTokens ?? createAccessTokenCache();
  const maxInlineMessageBytes = deps.ingest?.maxInlineMessageBytes ?? DEFAULT_INGEST_SETTINGS.maxInlineMessageBytes;
  return async (account, meter, opts = {}) => {
    const sealed = await loadCredentials(deps.db, account.id);
    if (!sealed) throw unusableCredentials(account, 'are missing');
    const refreshToken = decryptRefreshToken(deps.cipher, account, sealed);
    const stored = { current: sealed };
    const reuse = reuseFor(accessTokens, account.id, stored);
    if (account.provider === 'gmail') {
      const gmail = createGmailMailbox({ gmail: createGmailClient(deps.google, refreshToken, opts.callTimeoutMs, reuse), meter, pubsubTopic: deps.google.pubsubTopic, maxInlineMessageBytes, apiRoot: deps.google.apiRoot });
      return evictOnRefusal(account.provider, gmail, reuse);
    }
    if (!deps.microsoft) throw new Error('Outlook is not configured on this worker (MICROSOFT_* settings)');
    const outlook = createOutlookMailbox({
      graph: createGraphClient(deps.microsoft, { refreshToken, onRotated: storeRotations(deps, account.id, stored) }, opts.callTimeoutMs, reuse),
      meter,
      notificationUrl: deps.microsoft.notificationUrl,
      clientState: account.client_state,
      subscriptionMinutes: deps.microsoft.subscriptionMinutes,
      subscriptionId: account.subscription_id,
      saveSubscription: (id) => saveSubscriptionId(deps.db, account.id, id),
      maxInlineMessageBytes,
      upload: createUploadFetch(deps.microsoft, opts.callTimeoutMs),
      // Shared by every activity of the account in this worker: a retry never adds to calls still in flight here.
      slots: accountCallSlots(`outlook:${account.id}`, GRAPH_REQUESTS_IN_PROGRESS),
    });
    return evictOnRefusal(account.provider, outlook, reuse);
  };
}
