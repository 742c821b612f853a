/**
 * Reading a parsed message without trusting its shape: mailparser hands back whatever the sender
 * wrote (odd header types, missing fields), and the classifier must never throw on it.
 */
import type { HeaderValue, ParsedMail } from 'mailparser';

/** Longest piece of text the classifier scans (header blocks, DSN parts, body text). */
export const MAX_SCAN = 256 * 1024;

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export function clip(s: string, max = MAX_SCAN): string {
  return s.length > max ? s.slice(0, max) : s;
}

/** Calls a look-up the caller passed in; one that throws or answers anything but `true` counts as "no". */
export function safeCall(fn: unknown, arg: string): boolean {
  if (typeof fn !== 'function') return false;
  try {
    return (fn as (a: string) => unknown)(arg) === true;
  } catch {
    return false;
  }
}

export function headersOf(mail: ParsedMail): Map<string, HeaderValue> {
  const h = isObject(mail) ? (mail as { headers?: unknown }).headers : undefined;
  return h instanceof Map ? (h as Map<string, HeaderValue>) : new Map();
}

/** Any header value as a flat string (structured headers give their main value). */
export function valueToString(v: unknown, depth = 0): string {
  if (depth > 4 || v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString();
  if (Array.isArray(v)) return v.map((x) => valueToString(x, depth + 1)).filter(Boolean).join(', ');
  if (isObject(v)) {
    if (typeof v.text === 'string') return v.text; // AddressObject
    if (typeof v.value === 'string') return v.value; // StructuredHeader
  }
  return '';
}

export function header(mail: ParsedMail, name: string): string {
  try {
    return clip(valueToString(headersOf(mail).get(name)), 16 * 1024);
  } catch {
    return '';
  }
}

export function hasHeader(mail: ParsedMail, name: string): boolean {
  try {
    return headersOf(mail).has(name);
  } catch {
    return false;
  }
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function contentType(mail: ParsedMail): { value: string; params: Record<string, string> } {
  const v: unknown = headersOf(mail).get('content-type');
  const one: unknown = Array.isArray(v) ? v[0] : v;
  if (isObject(one) && typeof one.value === 'string') {
    const params: Record<string, string> = {};
    if (isObject(one.params)) {
      for (const [k, p] of Object.entries(one.params)) if (typeof p === 'string') params[k.toLowerCase()] = p;
    }
    return { value: one.value.toLowerCase().trim(), params };
  }
  const s = valueToString(one).toLowerCase();
  const params: Record<string, string> = {};
  const rt = /report-type\s*=\s*"?([\w-]+)/.exec(s);
  if (rt) params['report-type'] = rt[1];
  return { value: s.split(';')[0].trim(), params };
}
