import { describe, expect, it } from 'vitest';
import { analyzeTemplate, renderEmail } from '../../../../src/domain/templates';
import { tokenGroups } from './tokens';

describe('the token picker', () => {
  const groups = tokenGroups([
    { name: 'jobtitle', label: 'Job Title', hidden: false },
    { name: 'company', label: 'Company Name', hidden: false },
    { name: 'internal_score', label: 'Score', hidden: true },
    { name: 'favourite colour', label: 'Favourite colour', hidden: false },
  ]);
  const all = groups.flatMap((g) => g.tokens);

  it('should offer each visible contact property by label, the sender tokens, the unsubscribe link and a placeholder when properties are loaded', () => {
    expect(groups.map((g) => g.group)).toEqual(['Contact', 'Sender', 'Links', 'Typed by the sender']);
    expect(groups[0].tokens.map((t) => t.label)).toEqual(['First name, or "there"', 'Company Name', 'Favourite colour', 'Job Title']);
    expect(all.map((t) => t.text)).not.toContain('{{ contact.internal_score }}');
    expect(all.find((t) => t.label === 'Favourite colour')!.text).toBe('{{ contact["favourite colour"] }}');
  });

  it('should insert only tokens the renderer fills when each is rendered for a contact and sender with values', () => {
    const body = all.map((t) => `<p>${t.text}</p>`).join('');
    expect(analyzeTemplate(body).syntaxError).toBeNull();
    const r = renderEmail(
      { subject: 's', body },
      { contact: { firstname: 'Jane', company: 'Example Co', jobtitle: 'CTO', 'favourite colour': 'green' }, sender: { firstname: 'Rita', lastname: 'Rep', email: 'rita@acme.test', signature: 'Rita' }, unsubscribeLink: 'https://u.example' },
    );
    expect(r.missingTokens).toEqual([]);
    expect(r.placeholders).toEqual(['what to write']);
    expect(r.html).toContain('<p>green</p>');
    expect(r.html).toContain('<p>https://u.example</p>');
  });
});
