import crypto from 'node:crypto';

/**
 * Messages anyone who can email a rep can send, built to hurt an inbound reader: too many MIME
 * parts, a header block of a megabyte, bytes that are no message at all, multiparts nested
 * thousands deep. Deterministic, so a failure reproduces.
 */

const headerLines = (h: Record<string, string>) => Object.entries(h).map(([k, v]) => `${k}: ${v}\r\n`).join('');

const baseHeaders = (id: string, extra: Record<string, string> = {}) => ({
  From: 'Mallory <mallory@attacker.example>',
  To: 'rep@acme.test',
  Subject: `Hostile ${id}`,
  'Message-ID': `<${id}@attacker.example>`,
  Date: 'Mon, 02 Mar 2026 14:00:00 +0000',
  'MIME-Version': '1.0',
  ...extra,
});

/** One multipart/mixed with `parts` text parts (mailparser refuses more than 1,000). */
export function manyParts(id: string, parts = 2_000, extra: Record<string, string> = {}): Buffer {
  let s = headerLines(baseHeaders(id, { 'Content-Type': 'multipart/mixed; boundary="b"', ...extra })) + '\r\n';
  for (let i = 0; i < parts; i++) s += `--b\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`;
  return Buffer.from(`${s}--b--\r\n`);
}

/** A top-level header block of `bytes` bytes, folded into 76-character lines. */
export function hugeHeader(id: string, bytes = 1024 * 1024): Buffer {
  const fold: string[] = [];
  for (let n = 0; n < bytes; n += 78) fold.push(` ${'x'.repeat(75)}`);
  return Buffer.from(headerLines(baseHeaders(id, { 'Content-Type': 'text/plain' })) + `X-Padding: start\r\n${fold.join('\r\n')}\r\n\r\nhello\r\n`);
}

/** Pseudo-random bytes with no NUL (IMAP literals may not carry one) and no header structure. */
export function binaryGarbage(seed: string, bytes = 64 * 1024): Buffer {
  const out = Buffer.alloc(bytes);
  let block = crypto.createHash('sha256').update(seed).digest();
  for (let i = 0; i < bytes; i++) {
    if (i % block.length === 0 && i > 0) block = crypto.createHash('sha256').update(block).digest();
    out[i] = block[i % block.length] || 0xff;
  }
  return out;
}

/** multipart/mixed inside multipart/mixed, `depth` levels, a text part at the bottom. */
export function deeplyNested(id: string, depth = 5_000, extra: Record<string, string> = {}): Buffer {
  let s = headerLines(baseHeaders(id, { 'Content-Type': 'multipart/mixed; boundary="n0"', ...extra })) + '\r\n';
  for (let i = 1; i < depth; i++) s += `--n${i - 1}\r\nContent-Type: multipart/mixed; boundary="n${i}"\r\n\r\n`;
  s += `--n${depth - 1}\r\nContent-Type: text/plain\r\n\r\nat the bottom\r\n`;
  for (let i = depth - 1; i >= 0; i--) s += `--n${i}--\r\n`;
  return Buffer.from(s);
}
