const ID_PART = /^[^\s<>@]+$/;
// A bracketed id, or a bare `left@right` token, which some clients write without brackets.
const ID_TOKEN = /<([^<>\s]+)>|([^\s,<>()"]+@[^\s,<>()"]+)/g;
// Comments and quoted strings (`(message of "Tue, 30 Apr")`) may hold addresses that are not ids.
const NOISE = /\([^()]*\)|"[^"]*"/g;

export class MessageIdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MessageIdError';
  }
}

/** `<uuid@domain>`; the caller supplies the uuid so the id is known before the provider call. */
export function generateMessageId(domain: string, uuid: string): string {
  if (!ID_PART.test(uuid)) throw new MessageIdError(`message id left part "${uuid}" must be non-empty without spaces, < > or @`);
  if (!ID_PART.test(domain)) throw new MessageIdError(`message id domain "${domain}" must be a host name without spaces, < > or @`);
  return `<${uuid}@${domain}>`;
}

/** Splits a References / In-Reply-To value into bracketed ids, in order, without repeats. */
export function splitMessageIds(value: string | null | undefined): string[] {
  if (!value) return [];
  const ids = [...value.replace(NOISE, ' ').matchAll(ID_TOKEN)].map((m) => `<${m[1] ?? m[2]}>`);
  return [...new Set(ids)];
}

/** The first id in a header value, with angle brackets, or null. */
export function normalizeMessageId(value: string | null | undefined): string | null {
  return splitMessageIds(value)[0] ?? null;
}

/** Like normalizeMessageId, but throws for a value that holds no id (for ids we are about to send). */
export function requireMessageId(value: string, field: string): string {
  const id = normalizeMessageId(value);
  if (!id) throw new MessageIdError(`${field} "${value}" is not a message id like <id@host>`);
  return id;
}
