import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { createDb } from '../../src/db/client';
import { MIGRATIONS_DIR, migrateToLatest } from '../../src/db/migrate';

export const adminUrl = () => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** A template named after the migrations' hash: rebuilt when a migration changes, reused otherwise. */
export async function prepareTemplateDatabase(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_DIR).sort()) hash.update(file).update(readFileSync(path.join(MIGRATIONS_DIR, file)));
  const name = `mailsync_tpl_${hash.digest('hex').slice(0, 12)}`;
  const admin = createDb(adminUrl(), { max: 1 });
  try {
    const exists = await sql<{ n: number }>`select 1 as n from pg_database where datname = ${name}`.execute(admin);
    if (exists.rows.length > 0) return name;
    const building = `${name}_build_${process.pid}`;
    await sql.raw(`create database "${building}"`).execute(admin);
    const db = createDb(databaseUrl(building), { max: 1 });
    try {
      await migrateToLatest(db);
    } finally {
      await db.destroy();
    }
    // Renaming publishes the finished template atomically; a concurrent run that lost the race drops its copy.
    try {
      await sql.raw(`alter database "${building}" rename to "${name}"`).execute(admin);
    } catch {
      await sql.raw(`drop database if exists "${building}"`).execute(admin);
    }
    return name;
  } finally {
    await admin.destroy();
  }
}
