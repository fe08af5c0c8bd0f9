// Two production instances sharing one fresh PostgreSQL database and one Redis, behind the local
// round-robin proxy (scripts/cluster.mjs), with the gateway suite's mock upstreams. Tests talk to the
// proxy (baseURL) and pin an instance with `x-cluster-instance` where it matters.
import type { TestProject } from "vitest/node";
import { createDatabase, startCluster } from "../../scripts/cluster.mjs";
import { appEnv } from "../gateway/global-setup";
import { startMockUpstream } from "../mocks/upstream";

declare module "vitest" {
  export interface ProvidedContext {
    instances: string[];
  }
}

export default async function setup(project: TestProject) {
  const mock = await startMockUpstream();
  const database = await createDatabase(process.env.DATABASE_URL_TEST_PG ?? "postgresql://postgres@127.0.0.1:5432/postgres", "vs_multi");
  const base = Number(process.env.MULTI_TEST_PORT ?? 3130);
  const logs: string[] = [];
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  try {
    cluster = await startCluster({
      proxyPort: base,
      instancePorts: [base + 1, base + 2],
      // A short job lease: a document whose instance died is taken over within seconds (tests/multi/jobs.test.ts).
      env: { ...appEnv(mock.origin), DATABASE_URL: database.url, VECSTRUCT_JOB_LEASE_MS: "3000" },
      onLog: (i: number, text: string) => logs.push(`[${i}] ${text}`),
    });
  } catch (err) {
    console.error(logs.join("").slice(-5000));
    await mock.close();
    await database.drop();
    throw err;
  }
  project.provide("baseURL", cluster.origin);
  project.provide("instances", cluster.instances);
  project.provide("upstreamOrigin", mock.origin);
  project.provide("adminKey", cluster.adminKey);
  project.provide("dbUrl", database.url);
  return async () => {
    await cluster.stop();
    await mock.close();
    await database.drop().catch((err: Error) => console.error(`could not drop the multi-instance database: ${err.message}`));
    if (process.env.GATEWAY_TEST_LOGS === "1") console.log(logs.join(""));
  };
}
