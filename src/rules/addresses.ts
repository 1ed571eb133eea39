/** Email address and subject normalisation shared by the rules, the send path and the stores. */

const ANGLE_ADDR = /<([^<>]*)>\s*$/;
const COMMENT = /\([^()]*\)/g;

/** `"Jane Doe" <Jane@Example.com>` → `jane@example.com`: trims, lower-cases, strips display names and comments. */
export function normalizeAddress(raw: string): string {
  const angle = ANGLE_ADDR.exec(raw);
  const bare = angle ? (angle[1] ?? '') : raw.replace(COMMENT, '');
  return bare.trim().replace(/^mailto:/i, '').toLowerCase();
}

/** The display name of `"Jane Doe" <jane@example.com>`, or undefined when there is none. */
export function displayName(raw: string): string | undefined {
  const angle = ANGLE_ADDR.exec(raw);
  if (!angle) return undefined;
  let name = raw.slice(0, angle.index).trim();
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) {
    name = name.slice(1, -1).replace(/\\(.)/g, '$1').trim();
  }
  return name === '' ? undefined : name;
}

/** Normalised addresses in their original order, first occurrence kept, empties dropped. */
export function normalizeAddressList(raw: readonly string[]): string[] {
  const out: string[] = [];
  for (const entry of raw) {
    const address = normalizeAddress(entry);
    if (address !== '' && !out.includes(address)) out.push(address);
  }
  return out;
}

/**
 * Reply and forward prefixes in the languages mail clients commonly write them:
 * Re, Fw/Fwd, AW (de), WG (de), SV (sv/da/no), VS (fi), TR (fr), Antw (nl), with an optional
 * counter as in `Re[2]:`.
 */
const SUBJECT_PREFIX = /^\s*(?:re|fwd?|aw|wg|sv|vs|tr|antw)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*/i;

/** `Re: FWD: AW: Quote` → `Quote`. Case is kept (Outlook keeps it in its conversation topic); whitespace collapsed. */
export function normalizeSubject(subject: string): string {
  let rest = subject.replace(/\s+/g, ' ').trim();
  for (;;) {
    const stripped = rest.replace(SUBJECT_PREFIX, '');
    if (stripped === rest) return rest;
    rest = stripped;
  }
}
