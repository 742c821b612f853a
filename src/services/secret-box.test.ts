import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSecretBox, loadSecretBox, newSecretKey, parseSecretKey } from './secret-box.js';

const key = () => parseSecretKey(newSecretKey());

describe('secret box', () => {
  it('should open what it sealed and never show the plaintext in the sealed form', () => {
    const box = createSecretBox(key());
    const sealed = box.seal('hunter2 – päss');
    expect(sealed).not.toContain('hunter2');
    expect(box.isSealed(sealed)).toBe(true);
    expect(box.open(sealed)).toBe('hunter2 – päss');
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('should open values sealed with a previous key and ask for them to be sealed again when the key was rotated', () => {
    const old = key();
    const sealedBefore = createSecretBox(old).seal('secret');
    const rotated = createSecretBox(key(), [old]);
    expect(rotated.open(sealedBefore)).toBe('secret');
    expect(rotated.needsReseal(sealedBefore)).toBe(true);
    expect(rotated.needsReseal(rotated.seal('secret'))).toBe(false);
    expect(rotated.needsReseal('plaintext')).toBe(true);
  });

  it('should refuse to open when the key is unknown, the value is plaintext or it was tampered with', () => {
    const box = createSecretBox(key());
    const other = createSecretBox(key());
    expect(() => box.open(other.seal('x'))).toThrow(/another|does not hold/);
    expect(() => box.open('plaintext')).toThrow(/not sealed/);
    const sealed = box.seal('secret').split(':');
    sealed[4] = Buffer.from('tampered').toString('base64url');
    expect(() => box.open(sealed.join(':'))).toThrow();
  });

  it('should refuse a key that is not 32 bytes when it is configured', () => {
    expect(() => parseSecretKey('too-short')).toThrow(/SEQFLOW_SECRET_KEY must be 32 random bytes/);
    expect(parseSecretKey('ab'.repeat(32))).toHaveLength(32);
  });

  it('should generate a key file readable only by its owner on first start and reuse it afterwards when no key is configured', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqflow-key-'));
    const first = loadSecretBox({ dataDir: dir });
    expect(first.generatedFile).toBe(path.join(dir, 'secret-key'));
    expect(fs.statSync(first.generatedFile!).mode & 0o777).toBe(0o600);
    const again = loadSecretBox({ dataDir: dir });
    expect(again.generatedFile).toBeNull();
    expect(again.box.open(first.box.seal('x'))).toBe('x');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
