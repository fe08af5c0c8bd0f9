// Preloaded into the server process by scripts/start.mjs (`node --import`): stamps every incoming
// request with the client's address in `x-vecstruct-client-address`, which the sign-in / sign-up
// throttling reads (lib/auth/client-address.ts). Route handlers never see the socket, and Next only
// fills X-Forwarded-For when the client did not send one, so a client could otherwise pick its own
// address. The header is always overwritten here: a client cannot set it.
//
// VECSTRUCT_TRUSTED_PROXY_HOPS = N: that many reverse proxies in front append to X-Forwarded-For;
// the client is the entry N places from the end of [...X-Forwarded-For, socket peer] (0: the peer).
import http from "node:http";

const HEADER = "x-vecstruct-client-address";
const hops = Math.max(0, Math.min(10, Number.parseInt(process.env.VECSTRUCT_TRUSTED_PROXY_HOPS ?? "0", 10) || 0));

export function clientAddressOf(req, trustedHops = hops) {
  const peer = req.socket?.remoteAddress ?? "unknown";
  if (trustedHops === 0) return peer;
  const raw = req.headers["x-forwarded-for"];
  const forwarded = (Array.isArray(raw) ? raw.join(",") : (raw ?? "")).split(",").map((s) => s.trim()).filter(Boolean);
  const chain = [...forwarded, peer];
  return chain[Math.max(0, chain.length - 1 - trustedHops)];
}

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, ...args) {
  if (event === "request" && args[0]?.headers) args[0].headers[HEADER] = clientAddressOf(args[0]);
  return emit.call(this, event, ...args);
};
