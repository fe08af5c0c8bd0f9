// One Prisma client per process, over the dialect DATABASE_URL names. Both generated clients come
// from the same model (prisma/schema.prisma), so the SQLite client's type describes either.
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "./env";
import { PrismaClient } from "./generated/sqlite/client";
import { PrismaClient as PgPrismaClient } from "./generated/postgres/client";
import { processState } from "./process-state";

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

const holder = processState<{ client?: Db }>("db", () => ({}));

function createClient(): Db {
  const { DATABASE_URL, dialect } = env();
  if (dialect === "sqlite") {
    // timeout = SQLite busy timeout; WAL mode is set once by the migrator and persists in the file.
    return new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: DATABASE_URL, timeout: 10_000 }) });
  }
  const client = new PgPrismaClient({ adapter: new PrismaPg({ connectionString: DATABASE_URL, max: 10 }) });
  return client as unknown as Db;
}

export function db(): Db {
  // Process state survives Next dev's module reloads and is shared by bundles: one pool per process.
  holder.client ??= createClient();
  return holder.client;
}

export async function disconnectDb(): Promise<void> {
  await holder.client?.$disconnect();
  holder.client = undefined;
}
