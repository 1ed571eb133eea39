import type { DbOrTrx } from '../db/client';
import { listConnections, type ConnectionFilter } from '../db/repositories/connections';
import { pageOf, startAfter, type Page } from '../pagination/cursor';
import { toView, type ConnectionView } from './view';

const LIST = 'connections';

/**
 * The connection status a CRM shows its users, a page at a time in the order connections were made.
 * Read from the database only (no workflow query per row): `sync.status` is the mailbox's stored status;
 * the live backoff deadline and last error are on GET /v1/connections/:id.
 */
export async function listConnectionViews(db: DbOrTrx, filter: ConnectionFilter, page: { limit: number; cursor?: string | undefined }): Promise<Page<ConnectionView>> {
  const rows = await listConnections(db, filter, startAfter(LIST, page.cursor), page.limit + 1);
  const { items, nextCursor } = pageOf(LIST, rows, page.limit, (r) => ({ key: r.cursorKey, id: r.id }));
  return { items: await Promise.all(items.map((row) => toView(db, row, null))), nextCursor };
}
