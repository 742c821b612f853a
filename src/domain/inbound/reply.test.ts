import { describe, it, expect } from 'vitest';
import MailComposer from 'nodemailer/lib/mail-composer';
import { classifyInbound } from './index.js';
import { OUR_ID, OUR_OLDER_ID, rawMessage, classify, compose } from './test-fixtures.js';

describe('classifyInbound — replies (PRODUCT §3.6 REPLIED)', () => {
  it('should be a thread reply when In-Reply-To is one of our Message-IDs', async () => {
    const raw = rawMessage(
      [
        ['From', 'Jan Kowalski <jan.kowalski@klient.example.pl>'],
        ['To', 'Ola Nowak <ola@acme.example>'],
        ['Subject', 'Re: Quick question about your Q3 roadmap'],
        ['Message-ID', '<CAF=abc123@mail.gmail.com>'],
        ['In-Reply-To', OUR_ID],
        ['References', `${OUR_OLDER_ID} ${OUR_ID}`],
        ['Content-Type', 'text/plain; charset=utf-8'],
      ],
      'Sure, let us talk on Thursday.\n\nOn Tue, Ola Nowak wrote:\n> Hi Jan, a quick question.',
    );
    expect(await classify(raw)).toEqual({ kind: 'reply', from: 'jan.kowalski@klient.example.pl', inReplyTo: OUR_ID, matchedBy: 'thread' });
  });

  it('should be a thread reply when only a References id is ours, even from an address that is not enrolled', async () => {
    const raw = rawMessage(
      [
        ['From', 'Piotr Zielinski <piotr@klient.example.pl>'],
        ['To', 'ola@acme.example'],
        ['Subject', 'Re: Fwd: Quick question'],
        ['In-Reply-To', '<internal-forward-77@klient.example.pl>'],
        ['References', `${OUR_ID}\r\n <internal-forward-77@klient.example.pl>`],
      ],
      'Jan forwarded this to me, I am the right person.',
    );
    expect(await classify(raw)).toEqual({ kind: 'reply', from: 'piotr@klient.example.pl', inReplyTo: OUR_ID, matchedBy: 'thread' });
  });

  it('should be an address reply when an enrolled alias writes a new message that quotes nothing and has no thread headers', async () => {
    // Apple-Mail-like multipart/alternative built with nodemailer's MailComposer.
    const raw = await compose({
      from: '"Jan K." <JAN@klient.example.pl>',
      to: 'ola@acme.example',
      subject: 'Meeting',
      text: 'Hi Ola, can we meet next week instead?\n\nJan',
      html: '<div dir="ltr">Hi Ola, can we meet next week instead?<br><br>Jan</div>',
      messageId: '<1A2B3C4D-0000-4000-8000-000000000001@klient.example.pl>',
    });
    expect(await classify(raw)).toEqual({ kind: 'reply', from: 'jan@klient.example.pl', inReplyTo: null, matchedBy: 'address' });
  });

  it('should be other when the sender is neither enrolled nor answering one of our messages', async () => {
    const raw = rawMessage(
      [
        ['From', 'newsletter@vendor.example'],
        ['To', 'ola@acme.example'],
        ['Subject', 'Our spring release'],
        ['In-Reply-To', '<someone-else@vendor.example>'],
      ],
      'Hello!',
    );
    expect(await classify(raw)).toEqual({ kind: 'other' });
  });

  it('should stay a reply when the message only carries X-Auto-Response-Suppress (Outlook sets it on every message)', async () => {
    const raw = rawMessage(
      [
        ['From', 'Anna Schmidt <anna.schmidt@kunde.example.de>'],
        ['To', 'ola@acme.example'],
        ['Subject', 'AW: Quick question about your Q3 roadmap'],
        ['In-Reply-To', OUR_ID],
        ['X-Auto-Response-Suppress', 'All'],
        ['X-MS-Has-Attach', ''],
        ['Content-Type', 'text/plain; charset="iso-8859-1"'],
        ['Content-Transfer-Encoding', 'quoted-printable'],
      ],
      'Gerne, n=E4chste Woche passt gut.',
    );
    expect(await classify(raw)).toMatchObject({ kind: 'reply', matchedBy: 'thread' });
  });

  it('should stay a reply when Auto-Submitted is "no"', async () => {
    const raw = rawMessage(
      [
        ['From', 'jan@klient.example.pl'],
        ['Subject', 'Pricing'],
        ['Auto-Submitted', 'no'],
      ],
      'What does it cost?',
    );
    expect(await classify(raw)).toMatchObject({ kind: 'reply', matchedBy: 'address' });
  });

  it('should stay a reply when an enrolled contact writes a subject that sounds like a bounce', async () => {
    const raw = rawMessage(
      [
        ['From', 'jan.kowalski@klient.example.pl'],
        ['Subject', 'Not delivered yet?'],
      ],
      'The brochure you mentioned has not arrived. Error 550 on our side maybe?',
    );
    expect(await classify(raw)).toMatchObject({ kind: 'reply', matchedBy: 'address' });
  });

  it('should be a thread reply when a person replies to a bounce-like subject with "Re:"', async () => {
    const raw = rawMessage(
      [
        ['From', 'someone@elsewhere.example'],
        ['Subject', 'Re: Undeliverable: Quick question'],
        ['In-Reply-To', OUR_ID],
      ],
      'I think you had my old address.',
    );
    expect(await classify(raw)).toMatchObject({ kind: 'reply', matchedBy: 'thread' });
  });

  it('should not invent a bounce when a human message mentions a version number under a report-like subject', async () => {
    const raw = rawMessage(
      [
        ['From', 'cto@prospect.example'],
        ['Subject', 'Delivery report for sprint 12'],
      ],
      'We shipped version 5.1.1 and 5.2.0 this sprint.',
    );
    expect(await classify(raw)).toEqual({ kind: 'other' });
  });
});
