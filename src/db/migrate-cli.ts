import { createDb } from './client';
import { migrateToLatest } from './migrate';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write('db:migrate: DATABASE_URL is required\n');
    process.exit(78);
  }
  // A migration may rewrite a large table: no statement timeout here.
  const db = createDb(url, { max: 1, timeouts: { statementMs: 0 } });
  try {
    const result = await migrateToLatest(db);
    const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`db:migrate: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
