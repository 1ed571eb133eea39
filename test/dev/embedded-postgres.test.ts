import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/dev/embedded-postgres';
import { SHARED_ROOT } from '../../src/dev/postgres-binaries';
import { runningAsRoot } from '../../src/dev/postgres-user';
import { freePort } from '../../src/temporal/dev-server';
import { chooseTestPostgres } from '../helpers/test-postgres';

async function query(url: string, text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

async function refusedCode(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.end();
    return undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code;
  }
}

describe('the Postgres a test run uses', () => {
  it('starts an embedded Postgres when DATABASE_URL is unset and nothing answers locally, and removes it at stop', async () => {
    const silentPort = await freePort();
    const chosen = await chooseTestPostgres({ env: {}, localUrl: `postgres://postgres@127.0.0.1:${silentPort}/postgres` });
    expect(chosen.source).toBe('embedded');
    const port = Number(new URL(chosen.url).port);
    expect(port).not.toBe(silentPort);

    await query(chosen.url, 'create table probe (id int primary key, note text)');
    await query(chosen.url, `insert into probe values (1, 'réponse')`);
    expect(await query(chosen.url, 'select id, note from probe')).toEqual([{ id: 1, note: 'réponse' }]);
    expect(await query(chosen.url, `select current_setting('server_encoding') as encoding`)).toEqual([{ encoding: 'UTF8' }]);

    const dataDir = chosen.description.match(/ in (\S+) /)![1]!;
    expect(existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);
    await chosen.stop();
    expect(await refusedCode(chosen.url)).toBe('ECONNREFUSED');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('uses a local Postgres that answers, without starting one', async () => {
    const running = process.env.DATABASE_URL!;
    const chosen = await chooseTestPostgres({ env: {}, localUrl: running });
    expect({ url: chosen.url, source: chosen.source }).toEqual({ url: running, source: 'local' });
    await chosen.stop();
    expect(await query(running, 'select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('uses DATABASE_URL as given, without trying it', async () => {
    const given = 'postgres://someone@db.example:6543/crm';
    const chosen = await chooseTestPostgres({ env: { DATABASE_URL: given } });
    expect({ url: chosen.url, source: chosen.source }).toEqual({ url: given, source: 'DATABASE_URL' });
  });
});

describe('npm run dev\'s embedded Postgres', () => {
  it('runs from a state folder only its owner can enter (a checkout under /root), keeping data across restarts', async () => {
    // mkdtemp makes the folder with mode 700: run as root, the postgres OS user cannot enter it.
    const privateDir = mkdtempSync(path.join(os.tmpdir(), 'mailsync-private-checkout-'));
    const stateDir = path.join(privateDir, '.mailsync');
    const relocated = path.join(SHARED_ROOT, `dev-${createHash('sha256').update(stateDir).digest('hex').slice(0, 12)}`);
    const port = await freePort();
    try {
      const first = await startEmbeddedPostgres(stateDir, port, () => {});
      await query(first.url, 'create table kept (id int)');
      await first.stop();
      const again = await startEmbeddedPostgres(stateDir, port, () => {});
      expect(await query(again.url, `select to_regclass('kept')::text as kept, current_database() as db`)).toEqual([{ kept: 'kept', db: 'mailsync' }]);
      await again.stop();
      const dataDir = runningAsRoot() ? path.join(relocated, 'postgres') : path.join(stateDir, 'postgres');
      expect(existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);
    } finally {
      rmSync(privateDir, { recursive: true, force: true });
      rmSync(relocated, { recursive: true, force: true });
    }
  });
});
