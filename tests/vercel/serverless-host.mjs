// Runs the production build the way Vercel's Node.js runtime does, for tests/vercel: Next's request
// handler inside a platform request context that provides `waitUntil` (the global
// `Symbol.for("@next/request-context")` Next reads; `after()` hands its work there). One invocation is
// the response plus every promise handed to `waitUntil`. With SERVERLESS_EXIT_AFTER_INVOCATION=1 the
// process SIGKILLs itself as soon as its first invocation is over: no timer, queue or poller of the
// process gets a chance to run afterwards, as when the platform freezes and discards the instance.
//
// Like Vercel's edge, the client's address is put in X-Real-IP and X-Forwarded-For (overwritten), so
// nothing a client sends there is trusted. Env: PORT, and the app's own variables (VERCEL=1 …).
import { AsyncLocalStorage } from "node:async_hooks";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const port = Number(process.env.PORT ?? 3250);
const exitAfterInvocation = process.env.SERVERLESS_EXIT_AFTER_INVOCATION === "1";

const platform = new AsyncLocalStorage();
globalThis[Symbol.for("@next/request-context")] = { get: () => platform.getStore() };

const app = next({ dev: false, dir: root, hostname: "127.0.0.1", port });
await app.prepare(); // runs instrumentation.ts (a bad configuration exits here)
const handle = app.getRequestHandler();

const server = http.createServer((req, res) => {
  const handedOver = [];
  const waitUntil = (p) => void handedOver.push(Promise.resolve(p).catch(() => {}));
  const client = req.socket.remoteAddress ?? "unknown";
  req.headers["x-real-ip"] = client;
  req.headers["x-forwarded-for"] = client;
  res.once("close", async () => {
    // The invocation ends once everything handed to waitUntil settled (including work handed over meanwhile).
    for (let seen = 0; seen < handedOver.length; ) {
      const batch = handedOver.slice(seen);
      seen = handedOver.length;
      await Promise.all(batch);
      await new Promise((r) => setImmediate(r));
    }
    if (exitAfterInvocation) {
      process.stdout.write("[serverless-host] invocation over: SIGKILL\n");
      process.kill(process.pid, "SIGKILL");
    }
  });
  platform.run({ waitUntil }, () => handle(req, res));
});
server.listen(port, "127.0.0.1", () => process.stdout.write(`[serverless-host] listening on ${port}\n`));
