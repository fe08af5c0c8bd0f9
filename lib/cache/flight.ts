// Concurrent identical misses do not stampede the upstream: the first one (the leader) calls it, the
// others wait for its answer to be stored and are served as hits. In process only: instances behind a
// load balancer each make at most one call per key at a time. A follower waits at most `waitMs`, then
// goes upstream itself; a leader that fails releases its followers at once.
import { processState } from "../process-state";

const flights = processState("cache.flights", () => new Map<string, Promise<void>>());

/** Resolves when the leader for `key` is done (or at once when there is none): true if there was one. */
export async function awaitLeader(key: string, waitMs: number): Promise<boolean> {
  const flight = flights.get(key);
  if (!flight) return false;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([flight, new Promise<void>((r) => (timer = setTimeout(r, waitMs)))]);
  clearTimeout(timer);
  return true;
}

/** Makes the caller the leader for `key`; call the returned function once its answer is stored or it failed. */
export function lead(key: string): () => void {
  let done!: () => void;
  const flight = new Promise<void>((r) => (done = r));
  flights.set(key, flight);
  let finished = false;
  return () => {
    if (finished) return;
    finished = true;
    if (flights.get(key) === flight) flights.delete(key);
    done();
  };
}
