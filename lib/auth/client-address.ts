// The client's address for throttling. `npm start` runs the server with scripts/client-address.mjs,
// which sets CLIENT_HEADER on every request from the socket's peer (and the trusted proxy hops of
// X-Forwarded-For), overwriting whatever a client sent. Without it (`next dev`), the last
// X-Forwarded-For entry is used: Next sets it from the socket unless the client sent one. On Vercel
// (VERCEL=1) the platform's own headers are used.
import { env } from "../env";

export const CLIENT_HEADER = "x-vecstruct-client-address";

export function clientAddress(req: Request): string {
  // Vercel: no preload stamps the header (a client could send its own); Vercel's edge sets
  // X-Real-IP and overwrites X-Forwarded-For with the client's address.
  if (env().VERCEL) return req.headers.get("x-real-ip")?.trim() || req.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "unknown";
  const set = req.headers.get(CLIENT_HEADER)?.trim();
  if (set) return set;
  const forwarded = req.headers.get("x-forwarded-for")?.split(",").map((s) => s.trim()).filter(Boolean);
  return forwarded?.at(-1) ?? "unknown";
}
