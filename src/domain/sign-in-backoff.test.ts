import { describe, expect, it } from 'vitest';
import { blockAfter } from './sign-in-backoff.js';

describe('blockAfter', () => {
  it('should wait nothing for four failures, 1 s after the fifth and double up to 15 minutes when failures go on', () => {
    expect([1, 2, 3, 4].map(blockAfter)).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8].map(blockAfter)).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(blockAfter(14)).toBe(512_000);
    expect(blockAfter(15)).toBe(900_000);
    expect(blockAfter(10_000)).toBe(900_000);
  });
});
