/**
 * Throwaway PostgreSQL databases for tests, real ones: no mocks.
 *
 * One server per `vitest run` comes from `postgres-global-setup.ts`; each test (or file) takes its own empty
 * database on it with `freshPostgresDatabase()` and drops it when done, so tests never see each other's rows
 * and can run in parallel. Wrap PostgreSQL tests in `describePg(...)`: they are skipped (with one line at the
 * start of the run saying why) when no server could be had.
 *
 * To run them on your machine:
 * - PostgreSQL installed from Debian/Ubuntu packages (`apt-get install postgresql`, any version with
 *   /usr/lib/postgresql/<v>/bin/initdb), or initdb and pg_ctl on PATH (e.g. Homebrew): nothing to do. The
 *   setup starts a private server in a temp folder on a free port and stops it at the end; the system's own
 *   server, if any, is not touched.
 * - Or point the tests at a server you run (PostgreSQL 13 or later, a role that may create databases):
 *   `BRIEFBOT_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres npx vitest run`.
 * - `BRIEFBOT_REQUIRE_POSTGRES=1` (as `.ci/run` sets) makes a missing server fail the run instead of skipping.
 *
 * ```ts
 * describePg('the PostgreSQL store', () => {
 *   let db: FreshPostgresDatabase;
 *   beforeEach(async () => { db = await freshPostgresDatabase(); });
 *   afterEach(() => db.drop());
 *   it('…', () => { const store = createPostgresStore({ url: db.url }); … });
 * });
 * ```
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, inject } from 'vitest';

/** The run's server, as a role that may create databases; null when there is none. */
export const postgresAdminUrl: string | null = inject('postgresAdminUrl') ?? null;

/** Whether this run has a PostgreSQL server to test against. */
export const postgresAvailable: boolean = postgresAdminUrl !== null;

/** `describe` when PostgreSQL is available, else `describe.skip`. */
export const describePg = describe.skipIf(!postgresAvailable);

export interface FreshPostgresDatabase {
  /** Connection URL of the new database (same server and role as the admin URL). */
  url: string;
  /** Its name, `bb_<pid>_<counter>_<random>`. */
  name: string;
  /** Ends every connection to it and drops it. Safe to call twice. */
  drop(): Promise<void>;
}

let counter = 0;

/** Creates a new, empty database on the run's server. Throws when there is no server (use `describePg`). */
export async function freshPostgresDatabase(): Promise<FreshPostgresDatabase> {
  const admin = postgresAdminUrl;
  if (admin === null) {
    throw new Error('no PostgreSQL server in this run (see test/helpers/postgres.ts): wrap the test in describePg');
  }
  counter += 1;
  const name = `bb_${process.pid}_${counter}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(admin, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | null = null;
  const drop = (): Promise<void> => {
    dropped ??= withAdminClient(admin, async (client) => {
      await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      // FORCE (PostgreSQL 13+) also waits out the backends just told to end, and any that connect meanwhile.
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }).catch((error: unknown) => {
      dropped = null; // let a later call try again
      throw error;
    });
    return dropped;
  };
  return { url: url.toString(), name, drop };
}

async function withAdminClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
