import type { DbOrTrx } from '../client';

export interface BccEnrolment {
  connectionId: string;
  locationId: string;
  contactId: string;
}

/** The contacts enrolled for these connections by BCC-address sends (R18). */
export async function listEnrolments(db: DbOrTrx, connectionIds: string[]): Promise<{ connectionId: string; contactId: string }[]> {
  if (connectionIds.length === 0) return [];
  const rows = await db.selectFrom('bcc_enrolments').select(['connection_id', 'contact_id']).where('connection_id', 'in', connectionIds).execute();
  return rows.map((r) => ({ connectionId: r.connection_id, contactId: r.contact_id }));
}

/** Enrols contacts (R18); one already enrolled stays as it is. */
export async function enrolContacts(db: DbOrTrx, rows: BccEnrolment[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('bcc_enrolments')
    .values(rows.map((r) => ({ connection_id: r.connectionId, location_id: r.locationId, contact_id: r.contactId })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}
