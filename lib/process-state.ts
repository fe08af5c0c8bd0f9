// Per-process state that every bundle of the app must share. Next bundles the instrumentation hook
// (start-up work, shutdown) apart from the route handlers, and a module evaluated in two bundles has
// two copies of its module-level variables: a queue, a cache or a flag kept there is silently split
// (a gauge that never sees the other bundle's work, a shutdown that releases only its own bundle's
// job, "one at a time" twice). So such state lives on globalThis, under one key per owner, created on
// first use; this is the only place that touches globalThis (dev's module reloads keep it too).
const STORE = Symbol.for("vecstruct.processState");

type Store = Map<string, unknown>;

function store(): Store {
  const g = globalThis as unknown as Record<symbol, Store | undefined>;
  return (g[STORE] ??= new Map());
}

/**
 * The process-wide value under `key`, made by `init` the first time any bundle asks. Keys are owned
 * by one module each (name them after it: "audit.writer", "rag.ingest"); `init` must not depend on
 * the calling bundle, since whichever bundle comes first creates the value for all.
 */
export function processState<T>(key: string, init: () => T): T {
  const s = store();
  if (s.has(key)) return s.get(key) as T;
  const value = init();
  s.set(key, value);
  return value;
}

/** Tests: forgets a value so the next `processState` call creates it anew. */
export function resetProcessState(key: string): void {
  store().delete(key);
}
