import { describe, it, expect } from 'vitest';
import { classifyInbound } from './index.js';
import { OUR_ID, rawMessage, classify } from './test-fixtures.js';

describe('classifyInbound — out-of-office and auto-replies (do not unenroll)', () => {
  it('should be an auto-reply, not a reply, when an out-of-office answer is threaded under our message', async () => {
    const raw = rawMessage(
      [
        ['From', 'Jan Kowalski <jan.kowalski@klient.example.pl>'],
        ['To', 'ola@acme.example'],
        ['Subject', 'Automatic reply: Quick question about your Q3 roadmap'],
        ['In-Reply-To', OUR_ID],
        ['References', OUR_ID],
        ['Auto-Submitted', 'auto-generated'],
        ['X-Auto-Response-Suppress', 'All'],
        ['X-MS-Exchange-Inbox-Rules-Loop', 'jan.kowalski@klient.example.pl'],
      ],
      'I am out of the office until 20 March with limited access to email.',
    );
    expect(await classify(raw)).toEqual({
      kind: 'auto_reply',
      from: 'jan.kowalski@klient.example.pl',
      inReplyTo: OUR_ID,
      signal: 'Auto-Submitted: auto-generated',
    });
  });

  it('should be an auto-reply when a Polish out-of-office has only its subject (encoded-word, ISO-8859-2 body)', async () => {
    const body = Buffer.from('Dzień dobry, jestem na urlopie do 20 marca. W pilnych sprawach proszę pisać do biura.', 'latin1');
    const raw = Buffer.concat([
      Buffer.from(
        rawMessage(
          [
            ['From', '=?iso-8859-2?Q?Jan_Kowalski?= <jan.kowalski@klient.example.pl>'],
            ['To', 'ola@acme.example'],
            ['Subject', '=?UTF-8?Q?Automatyczna_odpowied=C5=BA:_Quick_question?='],
            ['Content-Type', 'text/plain; charset=iso-8859-2'],
            ['Content-Transfer-Encoding', '8bit'],
          ],
          '',
        ),
      ),
      body,
    ]);
    expect(await classify(raw)).toMatchObject({ kind: 'auto_reply', from: 'jan.kowalski@klient.example.pl', inReplyTo: null });
  });

  it('should be an auto-reply when a Polish "Poza biurem" message comes from an enrolled address without thread headers', async () => {
    const raw = rawMessage(
      [
        ['From', 'jan@klient.example.pl'],
        ['Subject', '=?UTF-8?B?UG96YSBiaXVyZW0gLyBOaWVvYmVjbm/Fm8SH?='], // "Poza biurem / Nieobecność"
      ],
      'Wracam 20 marca.',
    );
    expect(await classify(raw)).toMatchObject({ kind: 'auto_reply', signal: expect.stringMatching(/^subject: Poza biurem/) });
  });

  it('should be an auto-reply when a German Abwesenheitsnotiz carries X-Autoreply', async () => {
    const raw = rawMessage(
      [
        ['From', 'Anna Schmidt <anna.schmidt@kunde.example.de>'],
        ['Subject', 'Abwesenheitsnotiz: Quick question about your Q3 roadmap'],
        ['X-Autoreply', 'yes'],
        ['In-Reply-To', OUR_ID],
        ['Content-Type', 'text/plain; charset=utf-8'],
        ['Content-Transfer-Encoding', 'quoted-printable'],
      ],
      'Ich bin bis einschlie=C3=9Flich 20.03. nicht im B=C3=BCro.',
    );
    expect(await classify(raw)).toEqual({
      kind: 'auto_reply',
      from: 'anna.schmidt@kunde.example.de',
      inReplyTo: OUR_ID,
      signal: 'x-autoreply: yes',
    });
  });

  it('should be an auto-reply when a German "Automatische Antwort" has no auto headers at all', async () => {
    const raw = rawMessage([['From', 'anna.schmidt@kunde.example.de'], ['Subject', 'Automatische Antwort: Ihre Anfrage']], 'Danke für Ihre Nachricht.');
    expect(await classify(raw)).toMatchObject({ kind: 'auto_reply', signal: 'subject: Automatische Antwort' });
  });

  it('should be an auto-reply when the subject is an out-of-office prefix in other languages', async () => {
    const subjects = [
      'Out of Office: Quick question',
      'Réponse automatique : Quick question',
      'Respuesta automática: Quick question',
      'Risposta automatica: Quick question',
      'Fuori sede',
      'Automatisch antwoord: Quick question',
      'Autosvar: Quick question',
      'AUTO: Jan Kowalski is out of the office (returning 20/03/2026)',
      '【不在】Quick question',
      '自動応答: Quick question',
      'RE: Auto-Reply: Quick question',
    ];
    for (const subject of subjects) {
      const raw = rawMessage([['From', 'jan@klient.example.pl'], ['Subject', subject]], 'Away.');
      expect(await classify(raw), subject).toMatchObject({ kind: 'auto_reply' });
    }
  });

  it('should be an auto-reply when Precedence is auto_reply, bulk or junk, and not when it is list', async () => {
    for (const p of ['auto_reply', 'bulk', 'junk']) {
      const raw = rawMessage([['From', 'jan@klient.example.pl'], ['Subject', 'Thanks'], ['Precedence', p]], 'Received.');
      expect(await classify(raw), p).toMatchObject({ kind: 'auto_reply', signal: `Precedence: ${p}` });
    }
    const list = rawMessage([['From', 'jan@klient.example.pl'], ['Subject', 'Thanks'], ['Precedence', 'list']], 'Hi');
    expect(await classify(list)).toMatchObject({ kind: 'reply' });
  });

  it('should be an auto-reply when X-Autorespond is present', async () => {
    const raw = rawMessage([['From', 'info@prospect.example'], ['Subject', 'We got your message'], ['X-Autorespond', 'On']], 'Ticket #1234');
    expect(await classify(raw)).toMatchObject({ kind: 'auto_reply', from: 'info@prospect.example', signal: 'x-autorespond: on' });
  });

  it('should be an auto-reply, not a reply, when a mailing-list robot answers our message', async () => {
    const raw = rawMessage(
      [
        ['From', 'sales-list-admin@klient.example.pl'],
        ['Subject', 'You ola@acme.example are not member (sales ML)'],
        ['References', OUR_ID],
        ['X-MLServer', 'fml [fml 4.0.3 release (20011202/4.0.3)]'],
        ['List-Subscribe', '<mailto:sales-list-ctl@klient.example.pl?body=subscribe>'],
      ],
      'You are not a member of this mailing list <sales-list@klient.example.pl>.',
    );
    expect(await classify(raw)).toMatchObject({ kind: 'auto_reply', inReplyTo: OUR_ID, signal: 'mailing-list robot: sales-list-admin@klient.example.pl' });
  });

  it('should stay a reply when a person answers through a mailing list', async () => {
    const raw = rawMessage(
      [
        ['From', 'Jan Kowalski <jan@klient.example.pl>'],
        ['Subject', 'Re: Quick question'],
        ['In-Reply-To', OUR_ID],
        ['List-Id', '<sales.klient.example.pl>'],
        ['List-Unsubscribe', '<mailto:sales-request@klient.example.pl?subject=unsubscribe>'],
        ['Sender', 'sales-bounces@klient.example.pl'],
      ],
      'Looping in the team.',
    );
    expect(await classify(raw)).toMatchObject({ kind: 'reply', matchedBy: 'thread' });
  });

  it('should not call a human subject that merely contains "absence" an auto-reply', async () => {
    const raw = rawMessage([['From', 'jan@klient.example.pl'], ['Subject', 'Absence of data in the Q3 report']], 'Can you check?');
    expect(await classify(raw)).toMatchObject({ kind: 'reply' });
  });
});
