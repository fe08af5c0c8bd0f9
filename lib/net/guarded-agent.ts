// The connect-time half of the address policy: an undici Agent whose every new socket is checked
// on the address it actually connects to. A name is resolved once, by our lookup, and the socket
// connects to exactly the address we judged (no second resolution a DNS rebinding could change);
// an IP literal is judged before connecting. Refusals fail the request before any byte is sent.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { isIP } from "node:net";
import { Agent, buildConnector } from "undici";
import { defaultPort, destinationAllowed, type AllowList } from "./address-policy";

export class BlockedDestinationError extends Error {
  readonly code = "VECSTRUCT_BLOCKED_DESTINATION";
  constructor(host: string) {
    super(`connections to ${host} are not allowed (loopback, private, link-local or metadata address)`);
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup's `all: true` form (injectable so tests can play a rebinding resolver). */
export type LookupAll = (hostname: string, options: LookupOptions & { all: true }, callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

function guardedLookup(allowList: () => AllowList, port: number, lookupAll: LookupAll) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    lookupAll(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = allowList();
      // One refused address refuses the name: a mixed answer is how rebinding hides loopback.
      if (addresses.length === 0 || !addresses.every((a) => destinationAllowed(list, hostname, port, a.address))) {
        return callback(Object.assign(new BlockedDestinationError(hostname), { errno: 0, syscall: "lookup" }) as NodeJS.ErrnoException, []);
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** An Agent for tenant-supplied destinations; redirects are never followed (undici's default). */
export function guardedAgent(options: Agent.Options, allowList: () => AllowList, lookupAll: LookupAll = dnsLookup): Agent {
  const connectors = new Map<number, buildConnector.connector>();
  const connectorFor = (port: number) => {
    let c = connectors.get(port);
    if (!c) {
      // The lookup needs the port (host:port allow-list entries); one connector per port.
      c = buildConnector({ lookup: guardedLookup(allowList, port, lookupAll) } as buildConnector.BuildOptions);
      if (connectors.size < 1_000) connectors.set(port, c);
    }
    return c;
  };
  return new Agent({
    ...options,
    connect(opts, callback) {
      const hostname = opts.hostname.replace(/^\[|\]$/g, "");
      const port = opts.port ? Number(opts.port) : defaultPort(opts.protocol);
      if (isIP(hostname) !== 0 && !destinationAllowed(allowList(), hostname, port, hostname)) {
        return callback(new BlockedDestinationError(hostname), null);
      }
      return connectorFor(port)(opts, callback);
    },
  });
}
