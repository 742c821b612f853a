/**
 * Secrets at rest (mailbox passwords, the unsubscribe signing secret): sealed with AES-256-GCM
 * under a key that lives outside the database, so a dump or a stolen backup holds no password.
 * Each sealed value names its key (the first 8 characters of the key's SHA-256), so a key can be
 * rotated: the new key seals, the previous ones still open until everything is re-sealed.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const PREFIX = 'sf1';
const KEY_BYTES = 32;
const IV_BYTES = 12;

export interface SecretBox {
  /** The id of the key new values are sealed with. */
  readonly keyId: string;
  seal(plain: string): string;
  /** Throws when the value is not sealed or was sealed with a key this box does not hold. */
  open(sealed: string): string;
  isSealed(value: string): boolean;
  /** True for plaintext and for values sealed with a previous key: they should be sealed again. */
  needsReseal(value: string): boolean;
}

export class SecretKeyError extends Error {}

const keyIdOf = (key: Buffer): string => crypto.createHash('sha256').update(key).digest('base64url').slice(0, 8);

/** A key as written in SEQFLOW_SECRET_KEY: 32 bytes as base64, base64url or hex. */
export function parseSecretKey(text: string, name = 'SEQFLOW_SECRET_KEY'): Buffer {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== KEY_BYTES) {
    throw new SecretKeyError(`${name} must be ${KEY_BYTES} random bytes written as base64 or hex (generate one with: seqflow secrets new-key).`);
  }
  return key;
}

export const newSecretKey = (): string => crypto.randomBytes(KEY_BYTES).toString('base64url');

/** `current` seals and opens; `previous` keys only open (rotation). */
export function createSecretBox(current: Buffer, previous: Buffer[] = []): SecretBox {
  const keys = new Map<string, Buffer>([[keyIdOf(current), current], ...previous.map((k): [string, Buffer] => [keyIdOf(k), k])]);
  const keyId = keyIdOf(current);
  const parts = (value: string): string[] | null => {
    const p = value.split(':');
    return p.length === 5 && p[0] === PREFIX ? p : null;
  };
  return {
    keyId,
    seal(plain) {
      const iv = crypto.randomBytes(IV_BYTES);
      const cipher = crypto.createCipheriv('aes-256-gcm', current, iv);
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [PREFIX, keyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join(':');
    },
    open(sealed) {
      const p = parts(sealed);
      if (!p) throw new SecretKeyError('The value is not sealed.');
      const key = keys.get(p[1]);
      if (!key) throw new SecretKeyError(`The value was sealed with key ${p[1]}, which this server does not hold.`);
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(p[2], 'base64url'));
      decipher.setAuthTag(Buffer.from(p[3], 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(p[4], 'base64url')), decipher.final()]).toString('utf8');
    },
    isSealed: (value) => parts(value) !== null,
    needsReseal: (value) => parts(value)?.[1] !== keyId,
  };
}

export const SECRET_KEY_FILE = 'secret-key';

/**
 * The key from the environment, or — for a zero-configuration install — from `<dataDir>/secret-key`,
 * generated there (mode 0600) on first start like the admin token. Several servers sharing one
 * PostgreSQL must share the key: set SEQFLOW_SECRET_KEY on each.
 */
export function loadSecretBox(o: { key?: string; previousKeys?: string; dataDir: string }): { box: SecretBox; generatedFile: string | null } {
  const previous = (o.previousKeys ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean)
    .map((k) => parseSecretKey(k, 'SEQFLOW_SECRET_KEY_PREVIOUS'));
  if (o.key) return { box: createSecretBox(parseSecretKey(o.key), previous), generatedFile: null };
  const file = path.join(o.dataDir, SECRET_KEY_FILE);
  if (fs.existsSync(file)) return { box: createSecretBox(parseSecretKey(fs.readFileSync(file, 'utf8'), file), previous), generatedFile: null };
  fs.mkdirSync(o.dataDir, { recursive: true });
  const key = newSecretKey();
  // 'wx': two processes starting at once must not both write a different key.
  try {
    fs.writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { box: createSecretBox(parseSecretKey(fs.readFileSync(file, 'utf8'), file), previous), generatedFile: null };
  }
  return { box: createSecretBox(parseSecretKey(key), previous), generatedFile: file };
}
