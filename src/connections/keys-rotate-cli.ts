/**
 * npm run keys:rotate (compiled: node dist/connections/keys-rotate-cli.js) — re-seals every stored refresh token under the active encryption key
 * (MAILSYNC_ENCRYPTION_ACTIVE_KEY, or the first of MAILSYNC_ENCRYPTION_KEYS), bound to its account.
 * Needs DATABASE_URL and the keyring holding the old keys too. Safe to run while API and workers run,
 * and to run again. Exits 1 when some token could not be decrypted (its key is missing or the row was
 * altered), naming the accounts.
 */
import { createDb } from '../db/client';
import { KeyringError, parseKeyring, createTokenCipher } from '../crypto';
import { rotateStoredCredentials } from './rotate-keys';

function required(name: string): string {
  const value = process.env[name]?.trim();
  if (!value) {
    process.stderr.write(`keys:rotate: ${name} is required\n`);
    process.exit(78);
  }
  return value;
}

async function main(): Promise<void> {
  const databaseUrl = required('DATABASE_URL');
  let cipher;
  try {
    cipher = createTokenCipher(parseKeyring(required('MAILSYNC_ENCRYPTION_KEYS'), process.env.MAILSYNC_ENCRYPTION_ACTIVE_KEY));
  } catch (err) {
    if (!(err instanceof KeyringError)) throw err;
    process.stderr.write(`keys:rotate: ${err.message}\n`);
    process.exit(78);
  }
  const batchSize = Number(process.env.KEYS_ROTATE_BATCH ?? 500);
  const db = createDb(databaseUrl, { max: 2 });
  try {
    const report = await rotateStoredCredentials({ db, cipher }, { batchSize: Number.isInteger(batchSize) && batchSize > 0 ? batchSize : 500 });
    process.stdout.write(`keys:rotate: active key "${cipher.activeKeyId}": resealed ${report.resealed}, changed meanwhile ${report.changedMeanwhile}, failed ${report.failed.length}\n`);
    for (const f of report.failed) process.stdout.write(`  account ${f.accountId}: ${f.reason}\n`);
    if (report.failed.length > 0) process.exitCode = 1;
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`keys:rotate: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
