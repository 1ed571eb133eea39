import type { Stack } from './stack';

/** A contact of a location; assigned to the directory's user unless `assignedUserId` says otherwise (null: nobody). */
export interface ContactSeed {
  id: string;
  email: string;
  assignedUserId?: string | null;
  createdAt?: string;
}

export interface Directory {
  locationId: string;
  userId: string;
}

/** A location, a user in it, and contacts; ids carry a suffix so tests in one database stay apart. */
export async function seedDirectory(stack: Stack, d: Directory & { userEmail: string; contacts?: ContactSeed[] }): Promise<void> {
  expectOk(await stack.api('PUT', `/v1/locations/${d.locationId}`, { name: `Location ${d.locationId}` }));
  const existing = await stack.db.selectFrom('user_locations').select('location_id').where('user_id', '=', d.userId).execute();
  const locationIds = [...new Set([...existing.map((r) => r.location_id), d.locationId])];
  expectOk(await stack.api('PUT', `/v1/users/${d.userId}`, { email: d.userEmail, name: `User ${d.userId}`, locationIds }));
  for (const c of d.contacts ?? []) {
    expectOk(
      await stack.api('PUT', `/v1/locations/${d.locationId}/contacts/${c.id}`, {
        email: c.email,
        name: `Contact ${c.id}`,
        assignedUserId: c.assignedUserId === undefined ? d.userId : c.assignedUserId,
        ...(c.createdAt ? { createdAt: c.createdAt } : {}),
      }),
    );
  }
}

function expectOk(res: { status: number; body: unknown }): void {
  if (res.status >= 300) throw new Error(`API answered ${res.status}: ${JSON.stringify(res.body)}`);
}
