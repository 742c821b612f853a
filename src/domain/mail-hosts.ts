import { BlockList, isIP } from 'node:net';

/**
 * Which addresses an inbox's SMTP or IMAP settings may make Seqflow connect to. Whoever sets an
 * inbox's host points Seqflow's own network position at it, so some addresses are never a mail
 * server: the cloud metadata services (credentials of the machine), link-local and unspecified
 * addresses, multicast and broadcast. Private ranges are where self-hosters' relays live, so an
 * operator decides about them (SEQFLOW_ALLOW_PRIVATE_MAIL_HOSTS). Loopback is the machine's own
 * relay and the built-in dev mail server, and stays allowed.
 *
 * Ranges from the IANA special-purpose registries (RFC 6890); matching is node:net's BlockList,
 * which also matches IPv4-mapped IPv6 addresses (::ffff:169.254.169.254) against IPv4 ranges.
 */
export type AddressKind = 'public' | 'private' | 'loopback' | 'forbidden';

export interface AddressClass {
  kind: AddressKind;
  /** What the address is, for messages: "a cloud metadata address", "a private address", … */
  label: string;
}

type Range = [address: string, prefix: number];

/** Metadata services: the well-known link-local ones, and those inside ranges otherwise allowed. */
const METADATA: string[] = [
  '169.254.169.254', // AWS, GCP, Azure, OpenStack, DigitalOcean, … (link-local anyway: named for the message)
  '169.254.170.2', // AWS ECS task credentials
  'fd00:ec2::254', // AWS instance metadata over IPv6 (inside fc00::/7)
  'fd00:ec2::23', // AWS DNS over IPv6
  '100.100.100.200', // Alibaba Cloud (inside 100.64.0.0/10)
  '192.0.0.192', // Oracle Cloud
  '168.63.129.16', // Azure WireServer (a public address)
];
const FORBIDDEN: [label: string, ranges: Range[]][] = [
  ['an unspecified address', [['0.0.0.0', 8], ['::', 128]]],
  ['a link-local address', [['169.254.0.0', 16], ['fe80::', 10]]],
  ['a multicast address', [['224.0.0.0', 4], ['ff00::', 8]]],
  ['a broadcast or reserved address', [['240.0.0.0', 4], ['192.0.0.0', 24], ['192.0.2.0', 24], ['198.51.100.0', 24], ['203.0.113.0', 24], ['100::', 64], ['2001:db8::', 32], ['::', 96]]],
];
const LOOPBACK: Range[] = [['127.0.0.0', 8], ['::1', 128]];
const PRIVATE: Range[] = [
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10],
  ['198.18.0.0', 15],
  ['fc00::', 7],
  ['fec0::', 10],
];

function blockList(ranges: Range[], addresses: string[] = []): BlockList {
  const list = new BlockList();
  for (const [address, prefix] of ranges) list.addSubnet(address, prefix, isIP(address) === 6 ? 'ipv6' : 'ipv4');
  for (const address of addresses) list.addAddress(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
  return list;
}

const metadata = blockList([], METADATA);
const forbidden = FORBIDDEN.map(([label, ranges]) => ({ label, list: blockList(ranges) }));
const loopback = blockList(LOOPBACK);
const privateRanges = blockList(PRIVATE);

/** Classifies an IP address (v4 or v6, brackets and zone index allowed); null when it is not one. */
export function classifyAddress(ip: string): AddressClass | null {
  const address = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const version = isIP(address);
  if (!version) return null;
  const type = version === 6 ? 'ipv6' : 'ipv4';
  // Order matters: specific addresses before the ranges that contain them (:: before ::/96, ::1 too).
  if (metadata.check(address, type)) return { kind: 'forbidden', label: 'a cloud metadata address' };
  if (loopback.check(address, type)) return { kind: 'loopback', label: 'a loopback address' };
  for (const f of forbidden) if (f.list.check(address, type)) return { kind: 'forbidden', label: f.label };
  if (privateRanges.check(address, type)) return { kind: 'private', label: 'a private address' };
  return { kind: 'public', label: 'a public address' };
}

export interface MailHostRules {
  /** Private ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7): allowed unless turned off. */
  allowPrivate: boolean;
}

/** Why Seqflow must not connect mail to this address, or null when it may. */
export function refusalOf(ip: string, rules: MailHostRules): string | null {
  const c = classifyAddress(ip);
  if (!c) return `${ip} is not an IP address`;
  if (c.kind === 'forbidden') return `${c.label}, which is never a mail server`;
  if (c.kind === 'private' && !rules.allowPrivate) return `${c.label}, and this server does not connect mail to private networks (SEQFLOW_ALLOW_PRIVATE_MAIL_HOSTS=false)`;
  return null;
}
