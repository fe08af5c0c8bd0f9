// A PostgreSQL "connection" with no server behind it, for diffs between schema
// files (`migrate diff --from-empty --to-schema …`), which need no database.
// The wasm engine still connects when it starts and asks one question (does
// the schema exist, which server version); we answer that and refuse anything
// else, so a command that really needs a server fails with a clear message.
import { createRequire } from 'node:module';

const adapterRequire = createRequire(createRequire(import.meta.url).resolve('@prisma/adapter-better-sqlite3'));
const { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } = adapterRequire('@prisma/driver-adapter-utils');

const SERVER_VERSION = 160000; // assume PostgreSQL 16 when generating SQL offline

function offlineAdapter() {
  const refuse = async (query) => {
    throw new Error(`This command needs a PostgreSQL server; set DATABASE_URL (offline stub got: ${query?.sql ?? 'a transaction'})`);
  };
  return {
    provider: 'postgres',
    adapterName: 'vecstruct-offline-postgres',
    getConnectionInfo: () => ({ schemaName: undefined, supportsRelationJoins: true }),
    async queryRaw(query) {
      if (/^SELECT EXISTS\(SELECT 1 FROM pg_namespace/.test(query.sql)) {
        return {
          columnNames: ['exists', 'version', 'numeric_version'],
          columnTypes: [ColumnTypeEnum.Boolean, ColumnTypeEnum.Text, ColumnTypeEnum.Int32],
          rows: [[true, `PostgreSQL ${SERVER_VERSION / 10000} (offline)`, SERVER_VERSION]],
        };
      }
      return refuse(query);
    },
    executeRaw: refuse,
    executeScript: (sql) => refuse({ sql }),
    startTransaction: () => refuse(),
    dispose: async () => {},
  };
}

export function offlinePostgresFactory() {
  return bindMigrationAwareSqlAdapterFactory({
    provider: 'postgres',
    adapterName: 'vecstruct-offline-postgres',
    connect: async () => offlineAdapter(),
    connectToShadowDb: async () => offlineAdapter(),
  });
}
