/** RFC 5322 style field blocks inside a body: DSN fields and the headers of an embedded message. */
import { clip } from './safe-read.js';

export interface Field {
  name: string;
  value: string;
}

/** Unfolds RFC 5322 style field lines; returns groups separated by blank lines. */
export function fieldGroups(text: string): Field[][] {
  const groups: Field[][] = [];
  let cur: Field[] = [];
  const lines = clip(text).split(/\r\n|\r|\n/);
  for (const line of lines) {
    if (line.trim() === '') {
      if (cur.length) groups.push(cur);
      cur = [];
      continue;
    }
    if (/^[ \t]/.test(line) && cur.length) {
      const last = cur[cur.length - 1];
      if (last.value.length < 4096) last.value += ' ' + line.trim();
      continue;
    }
    const m = /^\s*([A-Za-z][A-Za-z0-9-]{0,60})\s*:\s?(.*)$/.exec(line);
    if (m) cur.push({ name: m[1].toLowerCase(), value: m[2].trim() });
  }
  if (cur.length) groups.push(cur);
  return groups;
}

/** The first value of a header field in the header section of a raw message (or a header block). */
export function rawHeaderField(raw: string, name: string): string | null {
  const head = raw.split(/\r?\n\r?\n|\r\r/, 1)[0] ?? '';
  for (const g of fieldGroups(head)) for (const f of g) if (f.name === name) return f.value;
  return null;
}
