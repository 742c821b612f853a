// Shared by the auto-reply check and the bounce check: "Re: Undelivered…" is a person, "Re: Out of office" too.
/** Removes leading reply / forward markers ("Re:", "AW:", "SV:", "Odp:", "RE[2]:") from a subject. */
export function stripReplyPrefixes(subject: string): string {
  let s = subject;
  for (let i = 0; i < 5; i++) {
    const next = s.replace(/^\s*(?:re|aw|sv|vs|antw|odp|r|ynt|fw|fwd|wg|tr|rif)[ \t]*(?:(?:\[\d+\]|\(\d+\))[ \t]*)?[:：]\s*/i, '');
    if (next === s) break;
    s = next;
  }
  return s;
}
