#!/usr/bin/env node
// The layer rule of DESIGN.md §4, checked over lib/: no import cycle between modules, and no import
// from a lower layer into a higher one (core → domain → wire → calls → features → surfaces).
// Reads the import lines with a regex (type-only imports count too: they bind the layers the same
// way) and resolves relative and "@/" specifiers to files. Exit 1 with one line per violation.
import { readdirSync, readFileSync, statSync, existsSync } from "node:fs";
import { join, dirname, relative, resolve } from "node:path";

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), "..");
const LIB = join(ROOT, "lib");

// Lower number = lower layer. A file of lib/ not listed here is core (lib/*.ts, lib/net, lib/observability …).
const LAYERS = [
  [1, ["tenancy", "catalog", "auth"]], // domain
  [2, ["wire"]],
  [3, ["providers", "upstream", "billing", "audit", "jobs"]], // calls
  [4, ["rag", "memory"]], // features
  [5, ["gateway", "api", "client"]], // surfaces
];
const NAMES = ["core", "domain", "wire", "calls", "features", "surfaces"];
// Single files of lib/ that are not core: lifecycle.ts starts and stops the process's background
// work (writer, jobs, learning), so it sits with the surfaces that instrumentation.ts calls it from.
const FILE_LAYERS = { "lifecycle.ts": 5 };

// Up-layer imports tolerated for now, each "from -> to" of files relative to lib/ with a comment
// saying why. Empty today; an entry that no longer happens fails the check, so the list only shrinks.
const EXCEPTIONS = new Set([]);

const argDir = process.argv[2] ? resolve(process.argv[2]) : LIB;

function layerOf(file) {
  const top = relative(LIB, file).split("/")[0];
  if (top in FILE_LAYERS) return FILE_LAYERS[top];
  for (const [n, dirs] of LAYERS) if (dirs.includes(top)) return n;
  return 0;
}

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === "generated" && dir === LIB) continue;
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|tsx|mts)$/.test(name) && !/\.(test|spec)\.tsx?$/.test(name) && !/test-helpers\.ts$/.test(name)) out.push(p);
  }
  return out;
}

function resolveSpec(from, spec) {
  let base;
  if (spec.startsWith("@/")) base = join(ROOT, spec.slice(2));
  else if (spec.startsWith(".")) base = resolve(dirname(from), spec);
  else return null;
  for (const cand of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts"), join(base, "index.tsx")]) {
    if (existsSync(cand) && statSync(cand).isFile()) return cand;
  }
  return null;
}

const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']|(?:^|\n)\s*import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;

const files = walk(argDir);
const graph = new Map();
for (const f of files) {
  const src = readFileSync(f, "utf8");
  const deps = new Set();
  for (const m of src.matchAll(IMPORT_RE)) {
    const target = resolveSpec(f, m[1] ?? m[2] ?? m[3]);
    if (target && target.startsWith(LIB + "/") && !target.startsWith(join(LIB, "generated"))) deps.add(target);
  }
  graph.set(f, deps);
}

const problems = [];
const rel = (f) => relative(LIB, f);
const usedExceptions = new Set();
for (const [f, deps] of graph) {
  for (const d of deps) {
    const a = layerOf(f), b = layerOf(d);
    const pair = `${rel(f)} -> ${rel(d)}`;
    if (b > a && EXCEPTIONS.has(pair)) usedExceptions.add(pair);
    else if (b > a) problems.push(`up-layer import: lib/${rel(f)} (${NAMES[a]}) imports lib/${rel(d)} (${NAMES[b]})`);
  }
}

// An exception that no longer happens is removed from the list, so the list only shrinks.
if (argDir === LIB) for (const e of EXCEPTIONS) if (!usedExceptions.has(e)) problems.push(`stale exception (remove it from scripts/check-layers.mjs): ${e}`);

// Tarjan's strongly connected components: every component with more than one file is a cycle.
let index = 0;
const idx = new Map(), low = new Map(), onStack = new Set(), stack = [];
function strong(v) {
  idx.set(v, index); low.set(v, index); index++;
  stack.push(v); onStack.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!graph.has(w)) continue;
    if (!idx.has(w)) { strong(w); low.set(v, Math.min(low.get(v), low.get(w))); }
    else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const comp = [];
    let w;
    do { w = stack.pop(); onStack.delete(w); comp.push(w); } while (w !== v);
    if (comp.length > 1 || (graph.get(v)?.has(v) ?? false)) problems.push(`import cycle: ${comp.map((c) => `lib/${rel(c)}`).sort().join(" ↔ ")}`);
  }
}
for (const v of graph.keys()) if (!idx.has(v)) strong(v);

if (problems.length) {
  console.error(problems.join("\n"));
  console.error(`\n${problems.length} layer violation(s): see DESIGN.md §4 and docs/architecture.md.`);
  process.exit(1);
}
console.log(`layers: ${graph.size} files of lib/, no import cycle, no up-layer import${usedExceptions.size ? ` beyond ${usedExceptions.size} listed exception(s)` : ""}`);
