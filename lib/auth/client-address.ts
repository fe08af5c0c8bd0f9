// The client's address for throttling. `npm start` runs the server with scripts/client-address.mjs,
// which sets CLIENT_HEADER on every request from the socket's peer (and the trusted proxy hops of
// X-Forwarded-For), overwriting whatever a client sent. Without it (`next dev`), the last
// X-Forwarded-For entry is used: Next sets it from the socket unless the client sent one.
export const CLIENT_HEADER = "x-vecstruct-client-address";

export function clientAddress(req: Request): string {
  const set = req.headers.get(CLIENT_HEADER)?.trim();
  if (set) return set;
  const forwarded = req.headers.get("x-forwarded-for")?.split(",").map((s) => s.trim()).filter(Boolean);
  return forwarded?.at(-1) ?? "unknown";
}
