/** One header field: the name, the unfolded value (undecoded) and the original folded lines. */
export interface HeaderField {
  name: string;
  value: string;
  raw: string;
}

export interface SplitMessage {
  fields: HeaderField[];
  body: Buffer;
  eol: string;
}

/** Splits raw bytes at the first empty line. Header bytes are read as latin1 so no byte is lost. */
export function splitMessage(raw: Buffer): SplitMessage {
  const text = raw.toString('latin1');
  const crlf = text.indexOf('\r\n\r\n');
  const lf = text.indexOf('\n\n');
  const useCrlf = crlf !== -1 && (lf === -1 || crlf < lf);
  const end = useCrlf ? crlf : lf;
  const eol = useCrlf || (lf === -1 && text.includes('\r\n')) ? '\r\n' : '\n';
  if (end === -1) return { fields: parseHeaderBlock(text), body: Buffer.alloc(0), eol };
  const sepLength = useCrlf ? 4 : 2;
  return { fields: parseHeaderBlock(text.slice(0, end)), body: raw.subarray(end + sepLength), eol };
}

export function parseHeaderBlock(block: string): HeaderField[] {
  const fields: HeaderField[] = [];
  for (const line of block.split(/\r?\n/)) {
    const last = fields[fields.length - 1];
    if (/^[ \t]/.test(line) && last) {
      last.raw += `\n${line}`;
      last.value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    fields.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim(), raw: line });
  }
  return fields;
}

export function headerValue(fields: HeaderField[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return fields.find((f) => f.name.toLowerCase() === lower)?.value;
}

/** Header text came in as latin1; 8-bit header bytes are almost always UTF-8, so reinterpret them. */
function utf8FromLatin1(text: string): string {
  return /[^\x00-\x7f]/.test(text) ? Buffer.from(text, 'latin1').toString('utf8') : text;
}

function decodeQ(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '_') bytes.push(0x20);
    else if (c === '=' && /^[0-9a-f]{2}$/i.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(c.charCodeAt(0));
  }
  return Buffer.from(bytes);
}

export function decodeCharset(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset.trim().toLowerCase() || 'utf-8').decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}

/** RFC 2047 encoded words, as Gmail shows decoded header values in `payload.headers`. */
export function decodeWords(value: string): string {
  const decoded = utf8FromLatin1(value).replace(/(=\?[^?]+\?[bq]\?[^?]*\?=)\s+(?==\?)/gi, '$1');
  return decoded.replace(/=\?([^?*]+)(?:\*[^?]*)?\?([bq])\?([^?]*)\?=/gi, (_m, charset: string, enc: string, text: string) => {
    const bytes = enc.toLowerCase() === 'b' ? Buffer.from(text, 'base64') : decodeQ(text);
    return decodeCharset(bytes, charset);
  });
}

/** Message-ID tokens (`<...>`) of a Message-ID, In-Reply-To or References value, without brackets. */
export function messageIdTokens(value: string | undefined): string[] {
  if (!value) return [];
  const bracketed = [...value.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]!);
  if (bracketed.length > 0) return bracketed;
  return value.split(/\s+/).filter((token) => token.includes('@'));
}

function serialize(field: HeaderField, eol: string): string {
  return field.raw.split('\n').join(eol);
}

/** Edits the header block and keeps the body bytes as they were. New fields need ASCII values. */
export function rewriteHeaders(raw: Buffer, edit: (fields: HeaderField[]) => HeaderField[]): Buffer {
  const { fields, body, eol } = splitMessage(raw);
  const head = edit(fields)
    .map((f) => serialize(f, eol))
    .join(eol);
  return Buffer.concat([Buffer.from(`${head}${eol}${eol}`, 'latin1'), body]);
}

export function newField(name: string, value: string): HeaderField {
  return { name, value, raw: `${name}: ${value}` };
}

/** Encodes a display name as an RFC 2047 word when it is not plain ASCII. */
export function encodeDisplayName(name: string): string {
  if (/^[\x20-\x7e]*$/.test(name)) return `"${name.replace(/["\\]/g, '\\$&')}"`;
  return `=?UTF-8?B?${Buffer.from(name, 'utf8').toString('base64')}?=`;
}
