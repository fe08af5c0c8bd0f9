#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary, which the Prisma CLI
// downloads on first use — impossible on machines without internet access.
// prisma.config.ts points PRISMA_SCHEMA_ENGINE_BINARY here. We speak the same
// command-line protocol as the native binary and do the real work with
// @prisma/schema-engine-wasm (the same Rust engine compiled to WebAssembly),
// which reaches the database through Prisma's JS driver adapters.
//
// How the CLI (node_modules/prisma/build/cli.js) drives the binary:
//   schema-engine --version                       -> "schema-engine-cli <hash>"
//   schema-engine --datasource '{"url":…}' cli can-connect-to-database | create-database
//       exit 0 on success; on failure exit 1, stderr = a first line the CLI
//       skips, then JSON log lines {level:"ERROR", target, fields:{error_code, message}}
//   schema-engine [--datamodels <file>]… [--datasource '{"url":…,"shadowDatabaseUrl":…}']
//       JSON-RPC 2.0, one message per line on stdin/stdout, until stdin closes.
//       Method names and params equal the wasm engine's (diff, applyMigrations, …).
//       The engine may send a `print` request to make the CLI write to stdout.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { adapterFactory, canConnect, createDatabase, PrismaCodedError, providerOf } from './database.mjs';
import { offlinePostgresFactory } from './offline-postgres.mjs';

const require = createRequire(import.meta.url);
const args = parseArgs(process.argv.slice(2));
const datasource = args.datasource ? JSON.parse(args.datasource) : {};

if (args.version) {
  // "8.1.0-2.<engine commit>" -> the CLI shows the commit like the native binary's.
  const pkgJson = join(dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'package.json');
  const { version } = JSON.parse(readFileSync(pkgJson, 'utf8'));
  console.log(`schema-engine-cli ${version.split('.').pop()}`);
} else if (args.cli) {
  await runCliCommand(args.cli);
} else {
  serveJsonRpc();
}

function parseArgs(argv) {
  const out = { datamodels: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--version' || arg === '-V') out.version = true;
    else if (arg === '--datamodels') out.datamodels.push(argv[++i]);
    else if (arg === '--datasource') out.datasource = argv[++i];
    else if (arg === 'cli') out.cli = argv[++i];
    else if (arg === '--enabled-preview-features' || arg === '--extension-types') i++; // not used by the wasm engine
  }
  return out;
}

// ---- one-shot `cli` subcommands ------------------------------------------

async function runCliCommand(command) {
  try {
    if (!datasource.url) throw new PrismaCodedError('P1012', 'No datasource URL given.');
    if (command === 'can-connect-to-database') await canConnect(datasource.url);
    else if (command === 'create-database') await createDatabase(datasource.url);
    else throw new Error(`Unsupported cli command: ${command}`);
    process.exit(0);
  } catch (err) {
    // The CLI drops the first stderr line and JSON-parses every other one.
    log('INFO', `cli ${command}`);
    log('ERROR', err.message, /^P\d{4}$/.test(err.code) ? { error_code: err.code } : {});
    process.exit(1);
  }
}

// Log lines in the format the native engine writes to stderr (the CLI reads
// `fields.message`, and remembers ERROR lines for its own error output).
function log(level, message, fields = {}) {
  process.stderr.write(JSON.stringify({ level, target: 'schema_engine::logger', fields: { message, ...fields } }) + '\n');
}

// ---- JSON-RPC session ------------------------------------------------------

function serveJsonRpc() {
  const send = (msg) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', ...msg }) + '\n');
  let queue = Promise.resolve(); // one request at a time: the wasm engine is not re-entrant
  let printId = 1e9; // ids for our own requests to the CLI, kept apart from the CLI's ids

  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (!line.trim()) return;
    const msg = JSON.parse(line);
    if (msg.method === undefined) return; // the CLI's answer to one of our `print` requests
    queue = queue.then(async () => {
      try {
        const result = await dispatch(msg.method, msg.params ?? {});
        if (msg.method === 'diff' && result.stdout) {
          // The native engine prints diffs through the CLI rather than returning them.
          send({ id: printId++, method: 'print', params: { content: result.stdout.replace(/\n$/, '') } });
          result.stdout = null;
        }
        send({ id: msg.id, result: result ?? {} });
      } catch (err) {
        send({ id: msg.id, error: toRpcError(err) });
        if (isWasmPanic(err)) process.exit(101); // the wasm instance is unusable after a trap
      }
    });
  });
  // The CLI ends a session by closing stdin. Exit explicitly: pg pools would keep us alive.
  lines.on('close', () => queue.finally(() => process.exit(0)));
}

async function dispatch(method, params) {
  switch (method) {
    case 'createDatabase': {
      const url = params.datasource?.url ?? datasource.url;
      return { databaseName: await createDatabase(url) };
    }
    case 'getDatabaseVersion':
      return (await engineFor(method, params)).version(params);
    case 'getDatabaseDescription':
      throw new Error('getDatabaseDescription is not supported by the wasm schema engine');
    case 'debugPanic':
    case 'diff':
    case 'applyMigrations':
    case 'createMigration':
    case 'dbExecute':
    case 'devDiagnostic':
    case 'diagnoseMigrationHistory':
    case 'ensureConnectionValidity':
    case 'evaluateDataLoss':
    case 'introspect':
    case 'introspectSql':
    case 'markMigrationApplied':
    case 'markMigrationRolledBack':
    case 'reset':
    case 'schemaPush': {
      const engine = await engineFor(method, params);
      currentErrorRegistry = engine.errorRegistry;
      withLockfileProvider(params, engine.provider);
      try {
        // Call as a method: the wasm bindings need `this`.
        return await engine[method](params);
      } catch (err) {
        // The wasm engine wires a shadow database only into `diff`, so
        // `migrate dev` (evaluateDataLoss, createMigration) cannot work.
        if (/shadow DB must be provided through an external factory/.test(err?.message)) {
          err.message += `\n\n\`prisma migrate dev\` is not available with the offline schema engine. Create migrations with \`npm run db:migrate:new -- <name>\`, apply them with \`prisma migrate deploy\` (or prototype with \`prisma db push\`).`;
        }
        throw err;
      }
    }
    default:
      throw Object.assign(new Error(`Method not found: ${method}`), { rpcCode: -32601 });
  }
}

// ---- engine ------------------------------------------------------------------

const engines = new Map();
let currentErrorRegistry; // of the engine serving the current request

// Which database the engine should talk to. A diff between schema files (and
// migration folders) needs no live database, so it must not touch — or, for
// SQLite, create — the configured one: it gets an in-memory SQLite database or
// an offline PostgreSQL stub; migration folders are replayed into a shadow
// database (SQLite: in memory; PostgreSQL: a temporary database on the
// configured server). Everything else uses the configured datasource.
function engineFor(method, params) {
  const targets = method === 'diff' ? [params.from, params.to] : [];
  const live = method !== 'diff' || targets.some((t) => t.tag === 'schemaDatasource' || t.tag === 'url');
  let key;
  if (live) key = 'live';
  else {
    const provider = targets.map(targetProvider).find(Boolean) ?? configuredProvider();
    const needsShadow = targets.some((t) => t.tag === 'migrations');
    key = provider === 'sqlite' ? 'sqlite-memory' : needsShadow ? 'live' : 'postgres-offline';
  }
  if (!engines.has(key)) engines.set(key, startEngine(key));
  return engines.get(key);
}

function configuredProvider() {
  if (datasource.url) return providerOf(datasource.url);
  return args.datamodels.map((f) => schemaProvider(readFileSync(f, 'utf8'))).find(Boolean);
}

function targetProvider(target) {
  if (target.tag === 'migrations') return lockfileProvider(target.lockfile?.content);
  return target.files?.map((f) => schemaProvider(f.content)).find(Boolean);
}

const schemaProvider = (text) =>
  normalizeProvider(/datasource\s+\w+\s*\{[^}]*?provider\s*=\s*"(\w+)"/.exec(text ?? '')?.[1]);
const lockfileProvider = (text) => normalizeProvider(/provider\s*=\s*"(\w+)"/.exec(text ?? '')?.[1]);
const normalizeProvider = (p) => (p === 'postgres' ? 'postgresql' : p);

// The wasm engine learns the connector of a migrations folder only from its
// migration_lock.toml, while the native engine uses the datasource. Fill in a
// missing lockfile (e.g. before the first migration) so both behave alike.
function withLockfileProvider(params, provider) {
  for (const list of [params.migrationsList, params.from, params.to]) {
    if (list?.lockfile && list.lockfile.content == null) {
      list.lockfile.content = `provider = "${provider}"\n`;
    }
  }
}

async function startEngine(key) {
  const wasm = await loadWasm();
  let factory;
  if (key === 'sqlite-memory') factory = adapterFactory('file::memory:');
  else if (key === 'postgres-offline') factory = offlinePostgresFactory();
  else {
    if (!datasource.url) throw new PrismaCodedError('P1012', 'This command needs `datasource.url` in prisma.config.ts.');
    factory = adapterFactory(datasource.url, datasource.shadowDatabaseUrl);
  }
  const datamodels = args.datamodels.map((file) => [file, readFileSync(file, 'utf8')]);
  const onLog = (line) => process.stderr.write(line.trimEnd() + '\n'); // already JSON log lines
  const engine = await wasm.SchemaEngine.new({ datamodels: datamodels.length ? datamodels : undefined }, onLog, factory);
  engine.provider = factory.provider === 'postgres' ? 'postgresql' : factory.provider;
  engine.errorRegistry = factory.errorRegistry;
  return engine;
}

// Node 20 cannot `import` a .wasm file (the package's main entry does that),
// so instantiate the module by hand and hand it to the generated JS bindings.
let wasmModule;
async function loadWasm() {
  if (wasmModule) return wasmModule;
  const bindingsPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const bindings = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const bytes = readFileSync(bindingsPath.replace(/\.js$/, '.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bindings });
  bindings.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return (wasmModule = bindings);
}

// ---- errors --------------------------------------------------------------------

const isWasmPanic = (err) => err instanceof WebAssembly.RuntimeError;

// Shape errors like the native engine: the CLI shows `data.message`, prefixed
// with `data.error_code` when there is one, and offers a bug report for panics.
function toRpcError(err) {
  if (isWasmPanic(err)) {
    return { code: 4466, message: 'Schema engine panicked', data: { is_panic: true, message: err.message, backtrace: err.stack } };
  }
  // Errors thrown inside a driver adapter reach us as "External error id#N";
  // the original is kept in the adapter factory's error registry.
  const message = (err.message ?? String(err)).replace(/External error id#(\d+)/g, (text, id) => {
    const external = currentErrorRegistry?.consumeError(Number(id))?.error;
    return external ? describeDriverError(external) : text;
  });
  return {
    code: err.rpcCode ?? 4466,
    message: 'An error happened. Check the data field for details.',
    data: { is_panic: false, message, error_code: err.code, meta: {} },
  };
}

function describeDriverError(error) {
  // DriverAdapterError keeps the database's own message in `cause.originalMessage`.
  return error.cause?.originalMessage ?? error.message ?? JSON.stringify(error);
}
