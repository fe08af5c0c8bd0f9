// Where a tenant-supplied URL may send the gateway (upstream credentials now, webhooks later):
// public unicast addresses only, unless the operator's allow-list names the destination. Pure
// functions over an AllowList; the connect-time guard (guarded-agent.ts) and the create-time check
// (checkDestinationUrl below) share them, so both enforce the same rule.
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

type Address = ipaddr.IPv4 | ipaddr.IPv6;

export type AllowEntry =
  | { kind: "name"; name: string; port: number | null }
  | { kind: "ip"; address: string; port: number | null }
  | { kind: "cidr"; range: [Address, number] };

export interface AllowList {
  entries: AllowEntry[];
}

export const EMPTY_ALLOW_LIST: AllowList = { entries: [] };

/** Canonical text of an IP literal, IPv4-mapped IPv6 folded to IPv4 (so ::ffff:127.0.0.1 is 127.0.0.1). */
export function canonicalIp(ip: string): string | null {
  const bare = stripBrackets(ip);
  if (!ipaddr.isValid(bare) || isIP(bare) === 0) return null;
  return ipaddr.process(bare).toString();
}

const stripBrackets = (h: string) => (h.startsWith("[") && h.endsWith("]") ? h.slice(1, -1) : h);
const normalName = (h: string) => stripBrackets(h.trim().toLowerCase()).replace(/\.$/, "");

function parsePort(s: string, entry: string): number {
  const port = Number(s);
  if (!/^\d{1,5}$/.test(s) || port < 1 || port > 65535) throw new Error(`'${entry}' has an invalid port`);
  return port;
}

/**
 * `VECSTRUCT_ALLOWED_UPSTREAM_HOSTS`: comma list of a bare host (`127.0.0.2`, `vllm.internal`,
 * `[::1]`), `host:port` (`127.0.0.1:8000`, `[::1]:8000`) or a CIDR (`10.0.0.0/8`, `fd00::/8`).
 * Throws an Error naming the first malformed entry.
 */
export function parseAllowList(spec: string): AllowList {
  const entries: AllowEntry[] = [];
  for (const raw of spec.split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    if (entry.includes("/")) {
      let range: [Address, number];
      try {
        range = ipaddr.parseCIDR(entry);
      } catch {
        throw new Error(`'${entry}' is not a valid CIDR such as 10.0.0.0/8`);
      }
      const [addr, bits] = range;
      // ::ffff:10.0.0.0/104 means 10.0.0.0/8: addresses are compared after folding to IPv4.
      if (addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress()) range = [(addr as ipaddr.IPv6).toIPv4Address(), Math.max(0, bits - 96)];
      entries.push({ kind: "cidr", range });
      continue;
    }
    let host = entry;
    let port: number | null = null;
    const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(entry);
    if (bracketed) {
      host = bracketed[1]!;
      if (bracketed[2] !== undefined) port = parsePort(bracketed[2], entry);
    } else if ((entry.match(/:/g) ?? []).length === 1) {
      const i = entry.indexOf(":");
      host = entry.slice(0, i);
      port = parsePort(entry.slice(i + 1), entry);
    }
    const ip = canonicalIp(host);
    if (ip) entries.push({ kind: "ip", address: ip, port });
    else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/i.test(host)) entries.push({ kind: "name", name: normalName(host), port });
    else throw new Error(`'${entry}' is not a host, host:port or CIDR`);
  }
  return { entries };
}

const portMatches = (want: number | null, port: number) => want === null || want === port;

/** The URL's host (a name or an IP literal) is listed, for this port. */
export function hostAllowed(list: AllowList, hostname: string, port: number): boolean {
  const name = normalName(hostname);
  const ip = canonicalIp(name);
  return list.entries.some((e) => (e.kind === "name" ? e.name === name && portMatches(e.port, port) : e.kind === "ip" ? ip === e.address && portMatches(e.port, port) : false));
}

/** The address the socket would connect to is listed (an IP entry or inside a CIDR). */
export function addressAllowed(list: AllowList, ip: string, port: number): boolean {
  const canonical = canonicalIp(ip);
  if (!canonical) return false;
  const addr = ipaddr.parse(canonical);
  return list.entries.some((e) => {
    if (e.kind === "ip") return e.address === canonical && portMatches(e.port, port);
    if (e.kind === "cidr") return addr.kind() === e.range[0].kind() && addr.match(e.range);
    return false;
  });
}

/**
 * Public unicast only. Everything ipaddr.js classifies otherwise is refused: loopback, private
 * (10/8, 172.16/12, 192.168/16), link-local (169.254/16 — cloud metadata — and fe80::/10),
 * unique-local (fc00::/7), CGNAT (100.64/10), unspecified (0.0.0.0, ::), multicast, broadcast,
 * reserved, documentation/benchmarking, and IPv6 forms that embed an IPv4 address (NAT64, 6to4,
 * Teredo) whose target we cannot vouch for. IPv4-mapped IPv6 is judged as the IPv4 it carries.
 */
export function isPublicAddress(ip: string): boolean {
  const canonical = canonicalIp(ip);
  if (!canonical) return false;
  return ipaddr.parse(canonical).range() === "unicast";
}

/** The one decision: may a connection to `ip` (resolved from `hostname`) on `port` be opened? */
export function destinationAllowed(list: AllowList, hostname: string, port: number, ip: string): boolean {
  return isPublicAddress(ip) || hostAllowed(list, hostname, port) || addressAllowed(list, ip, port);
}

export const defaultPort = (protocol: string) => (protocol === "https:" ? 443 : 80);

export type UrlVerdict = { ok: true } | { ok: false; reason: string };

const LOOKUP_TIMEOUT_MS = 3_000;

/** Every address a name resolves to; null when it does not resolve (in time). */
export type Resolver = (name: string) => Promise<string[] | null>;

async function resolveAll(name: string): Promise<string[] | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), LOOKUP_TIMEOUT_MS);
  });
  try {
    const found = await Promise.race([lookup(name, { all: true, verbatim: true }).then((r) => r.map((a) => a.address)), timeout]);
    return found;
  } catch {
    return null; // does not resolve (now): the connect-time guard decides when it is used
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The create/update check of a tenant-supplied URL: http(s), no credentials, no query or fragment
 * (they would be glued to the paths the gateway appends), and a destination the policy allows —
 * an IP literal is judged as is, a name by every address it resolves to now. A name that does
 * not resolve is accepted: the connect-time guard still judges whatever it resolves to later.
 */
export async function checkDestinationUrl(raw: string, list: AllowList, resolve: Resolver = resolveAll): Promise<UrlVerdict> {
  if (/[?#]/.test(raw)) return { ok: false, reason: "must not contain a query (?) or fragment (#)" };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "is not an absolute URL" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { ok: false, reason: "must be an http:// or https:// URL" };
  if (url.username || url.password) return { ok: false, reason: "must not contain a user name or password" };
  const port = url.port ? Number(url.port) : defaultPort(url.protocol);
  const host = normalName(url.hostname);
  const blocked = { ok: false as const, reason: `points to a loopback, private, link-local or metadata address (${host}); the operator can allow it with VECSTRUCT_ALLOWED_UPSTREAM_HOSTS` };
  if (hostAllowed(list, host, port)) return { ok: true };
  if (canonicalIp(host)) return destinationAllowed(list, host, port, host) ? { ok: true } : blocked;
  if (host === "localhost" || host.endsWith(".localhost")) return blocked;
  const addresses = await resolve(host);
  if (addresses === null) return { ok: true };
  return addresses.every((a) => destinationAllowed(list, host, port, a)) ? { ok: true } : blocked;
}
