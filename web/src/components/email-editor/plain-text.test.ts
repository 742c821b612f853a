import { describe, expect, it } from 'vitest';
import { renderEmail } from '../../../../src/domain/templates';
import { plainTextOf } from './plain-text';

describe('the plain-text version shown in the editor', () => {
  it('should read exactly as the text part of the sent email when the body has lists, links and formatting', () => {
    const body = '<p>Hi <strong>{{ contact.firstname }}</strong>,</p><ul><li><p>one</p></li><li><p>two</p></li></ul><ol><li><p>first</p></li></ol><p><a href="https://example.com/x">our page</a> and https://example.com</p><p><em>Rita</em><br>Acme</p>';
    const sent = renderEmail({ subject: 's', body }, { contact: { firstname: 'Jane' }, sender: {} });
    expect(plainTextOf(sent.html)).toBe(sent.text);
    expect(plainTextOf(body)).toContain('Hi {{ contact.firstname }},');
    expect(plainTextOf(body)).toContain('our page [https://example.com/x]');
  });
});
