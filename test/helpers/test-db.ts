import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { createDb, type Db } from '../../src/db/client';
import { adminUrl, databaseUrl } from './template-db';

export interface TestDb {
  db: Db;
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Each test file gets its own database, copied from the migrated template. */
export async function createTestDb(): Promise<TestDb> {
  const template = process.env.MAILSYNC_TEST_TEMPLATE_DB;
  if (!template) throw new Error('MAILSYNC_TEST_TEMPLATE_DB is not set: run through the integration project (test/global-setup.ts)');
  const name = `mailsync_test_${randomBytes(6).toString('hex')}`;
  const admin = createDb(adminUrl(), { max: 1 });
  try {
    await sql.raw(`create database "${name}" template "${template}"`).execute(admin);
  } finally {
    await admin.destroy();
  }
  const url = databaseUrl(name);
  const db = createDb(url, { onIdleError: () => {} });
  return {
    db,
    url,
    name,
    async drop() {
      await db.destroy();
      const again = createDb(adminUrl(), { max: 1 });
      try {
        await sql.raw(`drop database if exists "${name}" with (force)`).execute(again);
      } finally {
        await again.destroy();
      }
    },
  };
}
