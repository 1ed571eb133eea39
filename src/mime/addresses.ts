import { parseAddressHeader, type AddressObject, type EmailAddress as MailparserAddress } from 'mailparser';
import type { EmailAddress } from './types';

function flatten(entries: MailparserAddress[]): EmailAddress[] {
  const out: EmailAddress[] = [];
  for (const entry of entries) {
    if (entry.group) out.push(...flatten(entry.group));
    else if (entry.address) out.push({ address: entry.address.trim().toLowerCase(), name: entry.name.trim() });
  }
  return out;
}

/** mailparser gives one AddressObject per header line; several To lines keep their order. */
export function fromAddressObjects(value: AddressObject | AddressObject[] | undefined): EmailAddress[] {
  if (!value) return [];
  const objects = Array.isArray(value) ? value : [value];
  return objects.flatMap((o) => flatten(o.value));
}

/** Parses a raw header value (as Gmail returns it) with the same parser parseMime uses. */
export function parseAddressList(value: string | null | undefined): EmailAddress[] {
  if (!value) return [];
  return flatten(parseAddressHeader(value).value);
}

export function normalizeAddress(address: string | null | undefined, name: string | null | undefined): EmailAddress | null {
  const trimmed = address?.trim();
  if (!trimmed) return null;
  return { address: trimmed.toLowerCase(), name: name?.trim() ?? '' };
}

export function toIsoDate(value: string | Date | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
