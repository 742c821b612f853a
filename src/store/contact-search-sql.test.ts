import { describe, expect, it } from 'vitest';
import { tokenWord } from './contact-search-sql.js';

describe('tokenWord', () => {
  it('should pick a whole word when the pattern holds one bounded on both sides', () => {
    expect(tokenWord('*@Company5.example')).toEqual({ word: 'company5', prefix: false });
    expect(tokenWord('jane')).toEqual({ word: 'jane', prefix: false });
    expect(tokenWord('van der')).toEqual({ word: 'van', prefix: false });
  });

  it('should fall back to a word start when the only bounded-left run is open to a star', () => {
    expect(tokenWord('exa*')).toEqual({ word: 'exa', prefix: true });
    expect(tokenWord('mail.*')).toEqual({ word: 'mail', prefix: false });
  });

  it('should find no word when every run touches a star on its left', () => {
    expect(tokenWord('*ample')).toBeNull();
    expect(tokenWord('*')).toBeNull();
    expect(tokenWord('  ')).toBeNull();
  });
});
