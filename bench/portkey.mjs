// Portkey's open-source gateway as the benchmark's peer: installed on demand into bench/.portkey
// (gitignored; nothing of it is committed), started bound to loopback, called as its docs say.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { root, startChild, waitHealthy } from "./harness.mjs";

const DIR = path.join(root, "bench/.portkey");
const ENTRY = path.join(DIR, "node_modules/@portkey-ai/gateway/build/start-server.js");

function install() {
  if (existsSync(ENTRY)) return;
  mkdirSync(DIR, { recursive: true });
  // @hono/node-server after 1.14.1 breaks Portkey's streaming ("TypeError: immutable").
  const pkg = { name: "vecstruct-bench-portkey", private: true, dependencies: { "@portkey-ai/gateway": "1.15.2" }, overrides: { "@hono/node-server": "1.14.1" } };
  writeFileSync(path.join(DIR, "package.json"), JSON.stringify(pkg, null, 2));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: DIR, stdio: "inherit", timeout: 300_000 });
}

/** Starts Portkey on loopback; returns the benchmark target, or null (with the reason printed). */
export async function startPortkey(port, upstreamPort) {
  try {
    install();
  } catch (err) {
    console.log(`Portkey skipped: could not install @portkey-ai/gateway (${err.message})`);
    return null;
  }
  const child = startChild(["--require", path.join(root, "bench/loopback-preload.cjs"), ENTRY, `--port=${port}`, "--headless"], {});
  child.stdout.on("data", () => {});
  try {
    // Any answer (even a 404) means it is listening.
    await waitHealthy(`http://127.0.0.1:${port}/`, 30_000, true);
  } catch (err) {
    child.kill("SIGKILL");
    console.log(`Portkey skipped: it did not start (${err.message})`);
    return null;
  }
  return {
    child,
    target: {
      origin: `http://127.0.0.1:${port}`,
      path: "/v1/chat/completions",
      headers: { authorization: "Bearer sk-bench", "x-portkey-provider": "openai", "x-portkey-custom-host": `http://127.0.0.1:${upstreamPort}/v1` },
      model: "gpt-4o",
    },
  };
}
