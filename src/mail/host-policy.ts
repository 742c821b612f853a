/**
 * Where mail connections may go (src/domain/mail-hosts.ts), applied twice: when an inbox's
 * settings are saved (a clear 400 naming the field), and at every connection, on the address
 * actually dialled, because a name's DNS answer can change after it was saved (rebinding). The
 * connection is then made to the checked IP literal, with the name kept for TLS (SNI and the
 * certificate check), so the client library never resolves the name a second time.
 */
import dns from 'node:dns';
import { isIP } from 'node:net';
import { refusalOf, type MailHostRules } from '../domain/mail-hosts.js';

export type LookupAll = (hostname: string) => Promise<{ address: string; family: number }[]>;

export interface MailHostPolicy extends MailHostRules {
  /** DNS; injectable so tests can make a name resolve to any address. */
  lookup?: LookupAll;
  /** Replaces the mail rules (refusalOf) for other outbound connections: webhooks (src/domain/webhooks.ts). */
  refusal?: (ip: string) => string | null;
}

const systemLookup: LookupAll = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/** Private relays allowed (setting SEQFLOW_ALLOW_PRIVATE_MAIL_HOSTS, src/config/settings.ts). */
export const DEFAULT_MAIL_HOST_POLICY: MailHostPolicy = { allowPrivate: true };

/** Thrown when a host is, or resolves to, an address mail must not go to. */
export class MailHostRefused extends Error {
  readonly code = 'EHOSTPOLICY';
  constructor(
    readonly host: string,
    /** "is …" or "resolves to …": reads after the host name. */
    readonly reason: string,
  ) {
    super(`${host} ${reason}`);
  }
}

export interface ResolvedHost {
  /** The checked IP literal to connect to. */
  address: string;
  /** The name to present and verify in TLS; undefined when the host was an IP literal. */
  servername: string | undefined;
}

const bare = (host: string) => host.trim().replace(/^\[|\]$/g, '');

/**
 * Every address of the host, each checked: a name with one good and one forbidden address is
 * refused whole, as the client might pick either. `localhost` is loopback by definition (RFC
 * 6761) and needs no DNS. Lookup failures reject as they are (a transient connection error).
 */
export async function resolveMailHost(host: string, policy: MailHostPolicy): Promise<ResolvedHost> {
  const name = bare(host);
  const refusal = policy.refusal ?? ((ip: string) => refusalOf(ip, policy));
  if (isIP(name)) {
    const reason = refusal(name);
    if (reason) throw new MailHostRefused(name, `is ${reason}`);
    return { address: name, servername: undefined };
  }
  if (name.toLowerCase() === 'localhost') {
    const reason = refusal('127.0.0.1');
    if (reason) throw new MailHostRefused(name, `is ${reason}`);
    return { address: '127.0.0.1', servername: undefined };
  }
  const addresses = await (policy.lookup ?? systemLookup)(name);
  if (!addresses.length) throw Object.assign(new Error(`${name} has no address`), { code: 'ENOTFOUND' });
  for (const { address } of addresses) {
    const reason = refusal(address);
    if (reason) throw new MailHostRefused(name, `resolves to ${address}, ${reason}`);
  }
  return { address: addresses[0].address, servername: name };
}

/** How long a save waits for DNS before accepting the name as it is (the connect-time check still applies). */
const SAVE_LOOKUP_MS = 5_000;

/**
 * The save-time check: why the host is refused ("is …", "resolves to …"), or null. A name that does not resolve
 * (yet, or from this process's network) is accepted: it may be valid where the worker runs, and
 * every connection checks it again.
 */
export async function refusalAtSave(host: string, policy: MailHostPolicy): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(resolve, SAVE_LOOKUP_MS, null)));
  try {
    return await Promise.race([resolveMailHost(host, policy).then(() => null), timeout]);
  } catch (err) {
    return err instanceof MailHostRefused ? err.reason : null;
  } finally {
    clearTimeout(timer);
  }
}
