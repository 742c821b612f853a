/** Enhanced status codes and the per-recipient fields of a delivery status notification (RFC 3464). */
import { normalizeAddress } from './addresses.js';
import { fieldGroups } from './header-blocks.js';

const ENHANCED_RE = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?!\d|\.\d)/;
export const ENHANCED_RE_G = new RegExp(ENHANCED_RE.source, 'g');

export function enhancedStatus(s: string): string | null {
  const m = ENHANCED_RE.exec(s);
  return m ? `${m[1]}.${m[2]}.${m[3]}` : null;
}

/** A generic `X.0.0` status made specific by the same-class code in the remote server's diagnostic. */
export function refineStatus(status: string, diagnostic: string | null): string {
  if (!status.endsWith('.0.0') || !diagnostic) return status;
  const detailed = enhancedStatus(diagnostic);
  return detailed && detailed[0] === status[0] ? detailed : status;
}

function stripAddrType(v: string): string | null {
  // "rfc822; user@example.org", "RFC822;<user@example.org>", "user@example.org"
  const value = v.replace(/^\s*[A-Za-z0-9-]+\s*;/, '');
  return normalizeAddress(value);
}

export interface DsnRecipient {
  finalRecipient: string | null;
  originalRecipient: string | null;
  action: string | null;
  status: string | null;
  diagnostic: string | null;
}

/** Per-recipient DSN fields (RFC 3464 §2.3) found in a `message/delivery-status` body or in text. */
export function dsnRecipients(text: string): DsnRecipient[] {
  const out: DsnRecipient[] = [];
  for (const g of fieldGroups(text)) {
    let rec: DsnRecipient | null = null;
    const flush = () => {
      if (rec && (rec.status || rec.action)) out.push(rec);
      rec = null;
    };
    for (const f of g) {
      const r: DsnRecipient = (rec ??= {
        finalRecipient: null,
        originalRecipient: null,
        action: null,
        status: null,
        diagnostic: null,
      });
      switch (f.name) {
        case 'final-recipient':
          if (r.finalRecipient) {
            flush();
            rec = { finalRecipient: stripAddrType(f.value), originalRecipient: null, action: null, status: null, diagnostic: null };
          } else r.finalRecipient = stripAddrType(f.value);
          break;
        case 'original-recipient':
          r.originalRecipient ??= stripAddrType(f.value);
          break;
        case 'x-actual-recipient':
          r.finalRecipient ??= stripAddrType(f.value);
          break;
        case 'action':
          r.action ??= f.value.toLowerCase().split(/[\s;(]/)[0] || null;
          break;
        case 'status':
          r.status ??= enhancedStatus(f.value);
          break;
        case 'diagnostic-code':
          r.diagnostic ??= f.value.replace(/^\s*[A-Za-z0-9-]+\s*;\s*/, '').slice(0, 1000) || null;
          break;
        default:
          break;
      }
    }
    flush();
  }
  return out;
}
