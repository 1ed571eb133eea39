import { describe, expect, it } from 'vitest';
import { gmailPayloadToParsed } from './gmail-payload';
import inboundReply from './fixtures/gmail-inbound-reply.json';
import sentInlineImage from './fixtures/gmail-sent-inline-image.json';
import metadataOnly from './fixtures/gmail-metadata.json';
import largeForward from './fixtures/gmail-large-forward.json';

describe('gmailPayloadToParsed', () => {
  it('reads an inbound reply: headers, alternative bodies, and a PDF described by attachmentId', () => {
    expect(gmailPayloadToParsed(inboundReply)).toEqual({
      providerMessageId: '18f2a4c1d9e0b7a3',
      providerThreadId: '18f2a39e5c7d1f20',
      receivedAt: '2024-05-01T09:55:02.000Z',
      rfcMessageId: '<CAKq7Lr9xUe1W2dN0sH8pQm4Tz3f@mail.gmail.com>',
      inReplyTo: '<CAJx8kq2Vd1mZrT5bQe7n3Yw@mail.gmail.com>',
      references: ['<0f6c2a7e-5b1d-4c8e-9f3a-2d7b6e1c4a90@mailsync.example>', '<CAJx8kq2Vd1mZrT5bQe7n3Yw@mail.gmail.com>'],
      subject: 'Re: Angebot für Q3 – nächste Schritte',
      from: { address: 'juergen.mueller@kunde.example', name: 'Jürgen Müller' },
      to: [
        { address: 'ana@agency.example', name: 'Ana Owner' },
        { address: 'ops@agency.example', name: 'Ops, Team' },
      ],
      cc: [{ address: 'bjorn@kunde.example', name: 'Björn Lind' }],
      bcc: [],
      date: '2024-05-01T09:55:02.000Z',
      text:
        'Hallo Ana,\r\n\r\ndanke, das unterschriebene Angebot ist im Anhang. Können wir am Montag starten?\r\n\r\nViele Grüße\r\nJürgen\r\n\r\n' +
        'On Tue, 30 Apr 2024 at 09:15, Ana Owner <ana@agency.example> wrote:\r\n> Hi Jürgen, here is the quote for Q3.\r\n',
      html: expect.stringMatching(/^<div dir="ltr">Hallo Ana,.*Können wir am Montag starten\?.*<\/blockquote><\/div>\r\n$/),
      attachments: [
        {
          filename: 'Angebot_Q3_unterschrieben.pdf',
          contentType: 'application/pdf',
          size: 40127,
          attachmentId: inboundReply.payload.parts[1]?.body.attachmentId,
          partId: inboundReply.payload.parts[1]?.partId,
          contentId: 'f_lvn2x8k90',
          inline: false,
        },
      ],
      labelIds: ['IMPORTANT', 'CATEGORY_PERSONAL', 'INBOX', 'UNREAD'],
      historyId: '4827361',
      sizeEstimate: 58113,
      unfetchedBodyParts: [],
    });
  });

  it('reads a Sent copy: repeated To lines in order, Bcc kept, body decoded in its declared charset, inline image', () => {
    const parsed = gmailPayloadToParsed(sentInlineImage);
    expect(parsed.to).toEqual([
      { address: 'paula.ng@client.example', name: 'Paula Ng' },
      { address: 'lee@client.example', name: '' },
    ]);
    expect(parsed.bcc).toEqual([{ address: 'c_7f3a91@bcc.mailsync.example', name: '' }]);
    expect(parsed.text).toBe('Grüße aus dem Büro - see the plan below.\r\n\r\n[image: plan.png]\r\n');
    expect(parsed.html).toContain('Grüße aus dem Büro – see the plan below.<div><img src="cid:ii_lvn3q0ab1"');
    expect(parsed.attachments).toEqual([
      {
        filename: 'plan.png',
        contentType: 'image/png',
        size: 9021,
        attachmentId: sentInlineImage.payload.parts[1]?.body.attachmentId,
        partId: sentInlineImage.payload.parts[1]?.partId,
        contentId: 'ii_lvn3q0ab1',
        inline: true,
      },
    ]);
    expect(parsed.labelIds).toEqual(['SENT']);
    expect(parsed.inReplyTo).toBeNull();
    expect(parsed.references).toEqual([]);
  });

  it('reads a format=metadata answer: headers only, no bodies, an empty group as no recipients', () => {
    expect(gmailPayloadToParsed(metadataOnly)).toMatchObject({
      rfcMessageId: '<20240501134320.5A1B2C@service.example>',
      from: { address: 'noreply@service.example', name: '' },
      to: [],
      subject: 'Short note',
      date: '2024-05-01T13:43:20.000Z',
      text: null,
      html: null,
      attachments: [],
      unfetchedBodyParts: [],
    });
  });

  it('lists a large HTML body left out of the payload, and treats a forwarded message as an attachment', () => {
    const parsed = gmailPayloadToParsed(largeForward);
    expect(parsed.text).toBe('FYI, forwarding the thread.\r\n');
    expect(parsed.html).toBeNull();
    expect(parsed.unfetchedBodyParts).toEqual([{ partId: '0.1', mimeType: 'text/html', attachmentId: 'ANGjdJ_large_html_body_7Qx2' }]);
    expect(parsed.attachments).toEqual([
      { filename: '', contentType: 'message/rfc822', size: 1048200, attachmentId: 'ANGjdJ_forwarded_msg_3Lp', partId: '1', inline: true },
    ]);
    expect(parsed.references).toEqual(['<old-1@client.example>', '<old-2@client.example>']);
  });

  it('refuses a message without an id', () => {
    expect(() => gmailPayloadToParsed({ threadId: 't' })).toThrow('Gmail message has no id');
  });
});
