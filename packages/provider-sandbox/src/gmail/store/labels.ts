import { invalidArgument } from '../errors';

export const SYSTEM_LABELS = [
  'INBOX', 'SENT', 'UNREAD', 'STARRED', 'IMPORTANT', 'TRASH', 'SPAM', 'DRAFT', 'CHAT',
  'CATEGORY_PERSONAL', 'CATEGORY_SOCIAL', 'CATEGORY_PROMOTIONS', 'CATEGORY_UPDATES', 'CATEGORY_FORUMS',
] as const;

const SYSTEM = new Set<string>(SYSTEM_LABELS);
/** Gmail refuses to set these through modify; they follow from sending and drafting. */
const NOT_MODIFIABLE = new Set(['SENT', 'DRAFT', 'CHAT']);

export function checkModifiableLabels(labels: string[]): void {
  for (const label of labels) {
    if (!SYSTEM.has(label) && !/^Label_\d+$/.test(label)) throw invalidArgument(`Invalid label: ${label}`);
    if (NOT_MODIFIABLE.has(label)) throw invalidArgument(`Invalid label: ${label}`);
  }
}

export function labelResource(id: string): { id: string; name: string; type: 'system' | 'user' } {
  return SYSTEM.has(id) ? { id, name: id, type: 'system' } : { id, name: id, type: 'user' };
}
