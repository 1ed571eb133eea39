import { describe, expect, it } from 'vitest';
import { graphMessageToParsed } from './graph-message';
import inboundReply from './fixtures/graph-inbound-reply.json';
import sentDeltaItem from './fixtures/graph-sent-delta-item.json';

describe('graphMessageToParsed', () => {
  it('reads an inbound reply with internetMessageHeaders and expanded attachments', () => {
    expect(graphMessageToParsed(inboundReply)).toEqual({
      providerMessageId: 'AAMkAGI2THVSAAA=',
      providerThreadId: 'AAQkAGI2ZDYwZjUzLTk4YjctNDk0Ny05ZTM2LWM1YjRkNzU4ZjYyNQAQAP8kT3EgKkFPl1Jm7s5JxMs=',
      receivedAt: '2024-05-01T09:55:04.000Z',
      rfcMessageId: '<AM9PR08MB6785E3C1A0B4F2D9E8C7B6A5F4D3C2B1@AM9PR08MB6785.eurprd08.prod.outlook.com>',
      inReplyTo: '<0f6c2a7e-5b1d-4c8e-9f3a-2d7b6e1c4a90@mailsync.example>',
      references: ['<0f6c2a7e-5b1d-4c8e-9f3a-2d7b6e1c4a90@mailsync.example>'],
      subject: 'RE: Angebot für Q3 – nächste Schritte',
      from: { address: 'juergen.mueller@kunde.example', name: 'Jürgen Müller' },
      to: [
        { address: 'ana@agency.example', name: 'Ana Owner' },
        { address: 'ops@agency.example', name: 'Ops, Team' },
      ],
      cc: [{ address: 'bjorn@kunde.example', name: 'Björn Lind' }],
      bcc: [],
      date: '2024-05-01T09:55:02.000Z',
      text: null,
      html: inboundReply.body.content,
      attachments: [
        {
          filename: 'Angebot_Q3_unterschrieben.pdf',
          contentType: 'application/pdf',
          size: 40211,
          attachmentId: 'AAMkAGI2THVSAAABEgAQAJ1pC7yNMeBOhj0mX2ZKn8A=',
          inline: false,
        },
        {
          filename: 'image001.png',
          contentType: 'image/png',
          size: 5123,
          attachmentId: 'AAMkAGI2THVSAAABEgAQAK7qD8zOReCPik1nY3aLo9B=',
          contentId: 'image001.png@01DA9B9C.4E1F0A20',
          inline: true,
        },
      ],
      isDraft: false,
      parentFolderId: 'AAMkAGI2AAEMAAA=',
      hasAttachments: true,
    });
  });

  it('reads a Sent Items delta entry: sender as author, text body, Bcc kept, no reply headers selected', () => {
    expect(graphMessageToParsed(sentDeltaItem)).toMatchObject({
      providerMessageId: 'AAMkAGI2SENTAAA=',
      from: { address: 'ana@agency.example', name: 'Ana Owner' },
      to: [
        { address: 'paula.ng@client.example', name: 'Paula Ng' },
        { address: 'lee@client.example', name: 'lee@client.example' },
      ],
      bcc: [{ address: 'c_7f3a91@bcc.mailsync.example', name: 'c_7f3a91@bcc.mailsync.example' }],
      inReplyTo: null,
      references: [],
      text: 'Hi Paula,\r\n\r\nsee the plan attached tomorrow.\r\n',
      html: null,
      attachments: [],
      hasAttachments: false,
    });
  });

  it('reads a minimal delta entry with only an id and changed fields', () => {
    expect(graphMessageToParsed({ id: 'AAMk-min', isDraft: true })).toEqual({
      providerMessageId: 'AAMk-min',
      providerThreadId: null,
      receivedAt: null,
      rfcMessageId: null,
      inReplyTo: null,
      references: [],
      subject: '',
      from: null,
      to: [],
      cc: [],
      bcc: [],
      date: null,
      text: null,
      html: null,
      attachments: [],
      isDraft: true,
      parentFolderId: null,
      hasAttachments: false,
    });
  });
});
