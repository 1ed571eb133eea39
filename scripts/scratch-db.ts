/**
 * Scratch databases for the bench and the build check: a fresh database with a random name on the
 * server DATABASE_URL names (the local one by default), dropped again when the run is over.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type Db } from '../src/db/client';
import { migrateToLatest } from '../src/db/migrate';

export interface ScratchDatabase {
  name: string;
  /** DATABASE_URL with this database's name. */
  url: string;
  /** Drops it, closing any connection still open to it. */
  drop(): Promise<void>;
}

const serverUrl = () => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function onServer(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** An empty database named `<prefix>_<8 hex>`. */
export async function createScratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await onServer(`create database "${name}"`);
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => onServer(`drop database if exists "${name}" with (force)`) };
}

/** A scratch database with the migrations applied and a pool of `max` connections; `close` ends the pool and drops it. */
export async function openScratchDb(prefix: string, opts: { max: number }): Promise<ScratchDatabase & { db: Db; close(): Promise<void> }> {
  const scratch = await createScratchDatabase(prefix);
  const db = createDb(scratch.url, { max: opts.max, onIdleError: () => {} });
  const close = async () => {
    await db.destroy();
    await scratch.drop();
  };
  try {
    await migrateToLatest(db);
  } catch (err) {
    await close();
    throw err;
  }
  return { ...scratch, db, close };
}
