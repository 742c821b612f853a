import { describe, it, expect } from 'vitest';
import { simpleParser } from 'mailparser';
import { addressesOf } from './index.js';
import { rawMessage } from './test-fixtures.js';

describe('addressesOf', () => {
  it('should list lower-case mailbox addresses of an address header with groups flattened', async () => {
    const mail = await simpleParser(
      rawMessage(
        [
          ['From', '"Kowalski, Jan" <Jan.Kowalski@Klient.Example.PL>'],
          ['To', 'Team: a@x.example, B@Y.example;, c@z.example'],
        ],
        'x',
      ),
    );
    expect(addressesOf(mail)).toEqual(['jan.kowalski@klient.example.pl']);
    expect(addressesOf(mail, 'to')).toEqual(['a@x.example', 'b@y.example', 'c@z.example']);
    expect(addressesOf(mail, 'cc')).toEqual([]);
  });
});
