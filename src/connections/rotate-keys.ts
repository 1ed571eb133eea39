import type { Db } from '../db/client';
import { listCredentialsToReseal, replaceCredentials } from '../db/repositories/accounts';
import { CURRENT_SEALED_FORMAT, TokenCipherError, type TokenCipher } from '../crypto/types';

export interface RotationReport {
  /** Re-sealed under the active key, bound to their account. */
  resealed: number;
  /** Written by someone else (new credentials, an Entra rotation) between read and re-seal; already sealed by that writer. */
  changedMeanwhile: number;
  /** Could not be decrypted: the account and why (key ids and codes only, never key or token material). */
  failed: Array<{ accountId: string; reason: string }>;
}

/**
 * Re-seals every stored refresh token that is not under the active key in the current format, a page
 * at a time. Idempotent: a second run finds nothing to do. Each row is replaced only if it still holds
 * what was read, so it never overwrites credentials written while it runs.
 */
export async function rotateStoredCredentials(deps: { db: Db; cipher: TokenCipher }, opts: { batchSize?: number } = {}): Promise<RotationReport> {
  const batchSize = opts.batchSize ?? 500;
  const report: RotationReport = { resealed: 0, changedMeanwhile: 0, failed: [] };
  let after = '';
  for (;;) {
    const page = await listCredentialsToReseal(deps.db, deps.cipher.activeKeyId, CURRENT_SEALED_FORMAT, after, batchSize);
    for (const { accountId, sealed } of page) {
      let token: string;
      try {
        token = deps.cipher.decrypt(sealed, accountId);
      } catch (err) {
        report.failed.push({ accountId, reason: err instanceof TokenCipherError ? `${err.code}: ${err.message}` : 'cannot be decrypted' });
        continue;
      }
      if (await replaceCredentials(deps.db, accountId, sealed, deps.cipher.encrypt(token, accountId))) report.resealed += 1;
      else report.changedMeanwhile += 1;
    }
    if (page.length < batchSize) return report;
    after = page[page.length - 1]!.accountId;
  }
}
