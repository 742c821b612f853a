/**
 * Companies and their associations (issue #13): how a domain is compared, which email domains say
 * nothing about a company, and HubSpot's association type ids, which scripts send and read.
 */

/** Free-mail domains say nothing about a company: never auto-associated, never grouped ACCOUNT_BASED. */
export const FREE_MAIL = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'yahoo.com',
  'icloud.com',
  'me.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'gmx.de',
  'wp.pl',
  'o2.pl',
  'onet.pl',
  'interia.pl',
]);

/**
 * A company `domain` as compared: lower-cased, without scheme, `www.`, port, path or trailing dot
 * (people paste "https://www.Acme.com/about"). Null when nothing domain-like is left.
 */
export function domainKey(value: string | null | undefined): string | null {
  let s = (value ?? '').trim().toLowerCase();
  s = s.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/[/?#].*$/, '').replace(/:\d+$/, '').replace(/\.$/, '').replace(/^www\./, '');
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(s) ? s : null;
}

/** The domain of an email address, lower-cased, or null. */
export const emailDomain = (email: string | null | undefined): string | null => {
  const at = email?.lastIndexOf('@') ?? -1;
  return at > 0 ? domainKey(email!.slice(at + 1)) : null;
};

/** The company domain an email address points at: none for free-mail. */
export const companyDomainOfEmail = (email: string | null | undefined): string | null => {
  const d = emailDomain(email);
  return d && !FREE_MAIL.has(d) ? d : null;
};

/** Object types the associations API speaks of, by HubSpot's names and type ids. */
export const OBJECT_TYPES = { contacts: '0-1', companies: '0-2', meetings: '0-47' } as const;
export type ObjectType = keyof typeof OBJECT_TYPES;

/** Singular names, as HubSpot's v3 association type names use them (`contact_to_company`). */
export const SINGULAR: Record<ObjectType, string> = { contacts: 'contact', companies: 'company', meetings: 'meeting' };

/** HubSpot accepts singular names and type ids in paths; all mean the plural name. */
export function objectTypeOf(raw: string): ObjectType | null {
  const s = raw.trim().toLowerCase();
  for (const [name, typeId] of Object.entries(OBJECT_TYPES) as [ObjectType, string][]) {
    if (s === name || s === SINGULAR[name] || s === typeId) return name;
  }
  return null;
}

/** One HubSpot-defined association type: direction, id and label (null = unlabeled). */
export interface AssociationType {
  from: ObjectType;
  to: ObjectType;
  typeId: number;
  label: string | null;
  primary: boolean;
}

/** HubSpot's defined type ids for the pairs Seqflow holds (hubspot-api.md, HubSpot's associations v4 guide). */
export const ASSOCIATION_TYPES: AssociationType[] = [
  { from: 'contacts', to: 'companies', typeId: 279, label: null, primary: false },
  { from: 'contacts', to: 'companies', typeId: 1, label: 'Primary', primary: true },
  { from: 'companies', to: 'contacts', typeId: 280, label: null, primary: false },
  { from: 'companies', to: 'contacts', typeId: 2, label: 'Primary', primary: true },
  { from: 'contacts', to: 'meetings', typeId: 200, label: null, primary: false },
  { from: 'meetings', to: 'contacts', typeId: 199, label: null, primary: false },
];

export const associationTypesBetween = (from: ObjectType, to: ObjectType): AssociationType[] => ASSOCIATION_TYPES.filter((t) => t.from === from && t.to === to);
export const associationType = (from: ObjectType, to: ObjectType, typeId: number): AssociationType | undefined =>
  ASSOCIATION_TYPES.find((t) => t.from === from && t.to === to && t.typeId === typeId);
