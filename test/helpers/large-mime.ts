import MailComposer from 'nodemailer/lib/mail-composer';

/**
 * Raw messages that share one large body: the MIME is built once (base64 of 20 MB takes a while)
 * and each copy gets its own Subject and Message-ID, so a test can deliver many large messages fast.
 */
export async function largeMessages(m: { from: string; to: string; text: string; attachment: { filename: string; contentType: string; content: Buffer } }) {
  const template = await new MailComposer({
    from: m.from,
    to: m.to,
    subject: 'SUBJECT-PLACEHOLDER',
    messageId: '<placeholder@large.test>',
    text: m.text,
    attachments: [m.attachment],
  })
    .compile()
    .build();
  const split = template.indexOf('\r\n\r\n');
  const head = template.subarray(0, split).toString('latin1');
  const body = template.subarray(split);
  return (subject: string, messageId: string): Buffer =>
    Buffer.concat([Buffer.from(head.replace('SUBJECT-PLACEHOLDER', subject).replace('<placeholder@large.test>', messageId), 'latin1'), body]);
}
