import crypto from 'node:crypto';

/**
 * The one-click unsubscribe link carries the enrollment and contact it came from, signed with
 * an HMAC so a forged or altered link changes nothing (RFC 8058 links must work without login).
 */
export function signUnsubscribeToken(secret: string, p: { contactId: number; enrollmentId: number }): string {
  const payload = Buffer.from(`${p.contactId}.${p.enrollmentId}`).toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
}

export function verifyUnsubscribeToken(secret: string, token: string): { contactId: number; enrollmentId: number } | null {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return null;
  const expected = Buffer.from(mac(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return null;
  const [contactId, enrollmentId] = Buffer.from(payload, 'base64url').toString().split('.').map(Number);
  if (!Number.isInteger(contactId) || !Number.isInteger(enrollmentId)) return null;
  return { contactId, enrollmentId };
}

const mac = (secret: string, payload: string): string => crypto.createHmac('sha256', secret).update(payload).digest('base64url');
