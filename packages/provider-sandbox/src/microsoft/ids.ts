import { randomBytes, randomUUID } from 'node:crypto';

/** Opaque identifiers shaped like Exchange's (base64 entry ids); clients must treat them as opaque. */

const b64 = (bytes: number): string => randomBytes(bytes).toString('base64url');

export const newGuid = (): string => randomUUID();

/** A REST (default) message id: changes when the message moves to another folder. */
export const newRestId = (): string => `AAMkAG${b64(96)}AAA=`;

/** An immutable id (`Prefer: IdType="ImmutableId"`): survives moves within the mailbox. */
export const newImmutableId = (): string => `AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0A${b64(48)}AAA=`;

export const newFolderId = (): string => `AAMkAGF${b64(45)}AAA=`;

export const newAttachmentId = (): string => `AAMkAGA${b64(90)}=`;

export const newChangeKey = (): string => `CQAAABYAAA${b64(18)}`;

export const newOpaqueToken = (): string => b64(32);

/** Message-ID in the form Exchange Online generates for mail it originates. */
export function newInternetMessageId(): string {
  const part = randomBytes(10).toString('hex').toUpperCase();
  return `<SBX${part}@SBX${part.slice(0, 8)}.sandbox.prod.outlook.com>`;
}

/** Graph timestamps carry seconds precision and a Z suffix. */
export const graphTime = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
