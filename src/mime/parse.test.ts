import { describe, expect, it } from 'vitest';
import { parseMime } from './parse';

// Written the way other mail clients write: LF line ends, folded headers, encoded words, groups.
const outlookReply = [
  'Received: from mx.client.example by mx.agency.example; Wed, 1 May 2024 09:55:04 +0000',
  'From: =?utf-8?B?SsO8cmdlbiBNw7xsbGVy?= <Juergen.Mueller@Kunde.example>',
  'To: Team: Ana Owner <ana@agency.example>, =?utf-8?Q?Bj=C3=B6rn?= <BJORN@kunde.example>;',
  'To: last@agency.example',
  'Cc: undisclosed-recipients:;',
  'Subject: =?utf-8?Q?RE:_Angebot_f=C3=BCr_Q3?=',
  'Thread-Topic: Angebot',
  'Message-ID: <AM9PR08MB6785E3C1@AM9PR08MB6785.eurprd08.prod.outlook.com>',
  'In-Reply-To: <0f6c2a7e@mailsync.example> (Ana Owner\'s message of "Tue, 30 Apr")',
  'References: <first@client.example>',
  ' <0f6c2a7e@mailsync.example>',
  '\t<first@client.example>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/related; boundary="rel"',
  '',
  '--rel',
  'Content-Type: text/html; charset="iso-8859-1"',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  '<p>Gr=FC=DFe <img src=3D"cid:image001.png@01DA9B9C.4E1F0A20"></p>',
  '--rel',
  'Content-Type: image/png; name="image001.png"',
  'Content-Disposition: inline; filename="image001.png"',
  'Content-ID: <image001.png@01DA9B9C.4E1F0A20>',
  'Content-Transfer-Encoding: base64',
  '',
  'iVBORw0KGgo=',
  '--rel--',
  '',
].join('\n');

describe('parseMime', () => {
  it('reads a message from another client: groups flattened, several To lines in order, folded References', async () => {
    const parsed = await parseMime(outlookReply);
    const { attachments, ...rest } = parsed;
    expect(rest).toEqual({
      rfcMessageId: '<AM9PR08MB6785E3C1@AM9PR08MB6785.eurprd08.prod.outlook.com>',
      inReplyTo: '<0f6c2a7e@mailsync.example>',
      references: ['<first@client.example>', '<0f6c2a7e@mailsync.example>'],
      subject: 'RE: Angebot für Q3',
      from: { address: 'juergen.mueller@kunde.example', name: 'Jürgen Müller' },
      to: [
        { address: 'ana@agency.example', name: 'Ana Owner' },
        { address: 'bjorn@kunde.example', name: 'Björn' },
        { address: 'last@agency.example', name: '' },
      ],
      cc: [],
      bcc: [],
      date: null,
      text: null,
      html: '<p>Grüße <img src="cid:image001.png@01DA9B9C.4E1F0A20"></p>',
    });
    expect(attachments).toEqual([
      {
        filename: 'image001.png',
        contentType: 'image/png',
        size: 8,
        content: Buffer.from('iVBORw0KGgo=', 'base64'),
        contentId: 'image001.png@01DA9B9C.4E1F0A20',
      },
    ]);
  });

  it('reads a message with no Message-ID, no subject and no From', async () => {
    const parsed = await parseMime('To: a@b.example\r\nDate: Wed, 01 May 2024 13:43:20 +0000 (UTC)\r\n\r\nbody\r\n');
    expect(parsed).toMatchObject({ rfcMessageId: null, subject: '', from: null, date: '2024-05-01T13:43:20.000Z', text: 'body\n' });
  });
});
