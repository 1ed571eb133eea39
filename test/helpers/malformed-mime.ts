/**
 * A message mail servers pass along but MIME parsers refuse: a multipart with more parts than
 * mailparser accepts (1,000 per node), about 30 KB. Its headers are ordinary, so it is still a
 * message from `from` to `to` for everything that reads only headers.
 */
export function tooManyPartsMime(m: { from: string; to: string; subject: string; messageId: string }): Buffer {
  const boundary = 'b-too-many-parts';
  const head = [
    `From: ${m.from}`,
    `To: ${m.to}`,
    `Subject: ${m.subject}`,
    `Message-ID: ${m.messageId}`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
  ].join('\r\n');
  const parts = Array.from({ length: 1_001 }, (_, i) => `--${boundary}\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`).join('');
  return Buffer.from(`${head}\r\n\r\n${parts}--${boundary}--\r\n`, 'latin1');
}

export interface HostileHeaders {
  from: string;
  to: string;
  subject: string;
  messageId: string;
}

const CRLF = '\r\n';
const headLines = (m: HostileHeaders, extra: string[] = []) =>
  [`From: ${m.from}`, `To: ${m.to}`, `Subject: ${m.subject}`, `Message-ID: ${m.messageId}`, `Date: ${new Date().toUTCString()}`, 'MIME-Version: 1.0', ...extra];

/** Multipart nested `depth` levels deep, a text part at the bottom. */
function deeplyNested(m: HostileHeaders, depth: number): string {
  let body = `Content-Type: text/plain; charset=utf-8${CRLF}${CRLF}bottom of ${depth} levels${CRLF}`;
  for (let level = depth; level > 0; level--) {
    const b = `nest-${level}`;
    body = `Content-Type: multipart/mixed; boundary="${b}"${CRLF}${CRLF}--${b}${CRLF}${body}--${b}--${CRLF}`;
  }
  return [...headLines(m).filter((l) => l !== 'MIME-Version: 1.0'), 'MIME-Version: 1.0', body].join(CRLF);
}

/**
 * Mail that a sender can write and a server passes along, each hostile in one way; every one must end
 * in a decision or as unreadable, never a crash or a stuck mailbox. Headers other than the hostile one
 * are ordinary, so each is still a message from `from` to `to`.
 */
export const HOSTILE_MIME: Record<string, (m: HostileHeaders) => Buffer> = {
  'malformed header lines': (m) =>
    Buffer.from([...headLines(m), 'this line has no colon', ': no name', 'X-Empty:', ' continuation of nothing', 'Content-Type: text/plain; charset=', '', 'body after broken headers'].join(CRLF), 'latin1'),
  'multipart nested 200 levels': (m) => Buffer.from(deeplyNested(m, 200), 'latin1'),
  '1 MB Subject': (m) => Buffer.from([...headLines({ ...m, subject: `${m.subject} ${'long '.repeat(200_000)}` }), '', 'body'].join(CRLF), 'latin1'),
  'invalid base64 body': (m) =>
    Buffer.from([...headLines(m, ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64']), '', '!!!not*base64@@@===', 'SGVsbG8=====%%%'].join(CRLF), 'latin1'),
  'invalid quoted-printable body': (m) =>
    Buffer.from([...headLines(m, ['Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable']), '', '=ZZ=4=\u00ff=0D=0A=', '<p>=E2=82</p>'].join(CRLF), 'latin1'),
  'unknown charsets': (m) =>
    Buffer.from(
      [...headLines({ ...m, subject: `=?x-no-such-charset?B?SGVsbG8=?= ${m.subject} =?utf-8?Q?broken=ZZ?=` }, ['Content-Type: text/plain; charset="x-klingon-42"', 'Content-Transfer-Encoding: 8bit']), '', 'caf\u00e9 \u00ff\u00fe'].join(CRLF),
      'latin1',
    ),
  'NUL bytes in headers and body': (m) =>
    Buffer.from([...headLines({ ...m, subject: `${m.subject}\u0000with NUL` }, ['Content-Type: text/plain; charset=utf-8', 'X-Null: a\u0000b']), '', 'body\u0000with\u0000NULs'].join(CRLF), 'latin1'),
  'Message-ID and address over index limits': (m) =>
    Buffer.from([...headLines({ ...m, to: `${m.to}, ${'x'.repeat(5_000)}@client.test`, messageId: `<${'i'.repeat(5_000)}@client.test>` }), `References: <${'r'.repeat(5_000)}@client.test> ${m.messageId}`, '', 'body'].join(CRLF), 'latin1'),
};
