/**
 * A PostgreSQL server for the benchmarks, got the way the tests get theirs:
 * - `BRIEFBOT_BENCH_POSTGRES_URL` set (a role that may create and drop databases): each figure gets a fresh
 *   database on that server, dropped afterwards.
 * - Otherwise a throwaway cluster started as helpers/postgres-global-setup.ts starts one (initdb + pg_ctl on a
 *   free port, in RAM when /dev/shm allows, durability off, as `postgres` when root), stopped at the end.
 * - Neither: the reason, for the one line saying the PostgreSQL figures are skipped.
 */
import pg from 'pg';
import { createFreshDatabase, type FreshPostgresDatabase } from '../helpers/postgres-database.ts';
import { startCluster } from '../helpers/postgres-global-setup.ts';

export interface BenchPostgres {
  /** Where the server came from, for the report. */
  origin: string;
  /** e.g. "PostgreSQL 15.14". */
  version: string;
  freshDatabase(): Promise<FreshPostgresDatabase>;
  /** Stops the server if the bench started it. Synchronous: also runs on exit. */
  stop(): void;
}

export async function benchPostgres(): Promise<BenchPostgres | { skipped: string }> {
  const external = process.env.BRIEFBOT_BENCH_POSTGRES_URL;
  let admin: string;
  let stop = () => {};
  let origin: string;
  if (external) {
    admin = external;
    origin = `BRIEFBOT_BENCH_POSTGRES_URL (${redact(external)})`;
  } else {
    try {
      const cluster = await startCluster();
      admin = cluster.url;
      stop = cluster.stop;
      // Ctrl-C or a crash must not leave a server running.
      process.on('exit', stop);
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
      origin = 'a throwaway cluster (fsync off; helpers/postgres-global-setup.ts)';
    } catch (error) {
      return { skipped: `${oneLine(error)} (or set BRIEFBOT_BENCH_POSTGRES_URL to a server you run)` };
    }
  }
  let version: string;
  try {
    version = await serverVersion(admin);
    // A database made and dropped now: the role may, and the server answers.
    await (await createFreshDatabase(admin)).drop();
  } catch (error) {
    stop();
    return { skipped: `cannot use ${external ? 'BRIEFBOT_BENCH_POSTGRES_URL' : 'the throwaway cluster'}: ${oneLine(error)}` };
  }
  return {
    origin,
    version,
    freshDatabase: () => createFreshDatabase(admin),
    stop() {
      process.off('exit', stop);
      stop();
    },
  };
}

async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    return `PostgreSQL ${(rows[0]?.v ?? '?').split(' ')[0]}`;
  } finally {
    await client.end().catch(() => {});
  }
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.replace(/\s*\n\s*/g, ' | ');
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
