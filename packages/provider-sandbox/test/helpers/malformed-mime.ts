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
