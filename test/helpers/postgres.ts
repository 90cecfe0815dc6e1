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
import { describe, inject } from 'vitest';
import { createFreshDatabase, type FreshPostgresDatabase } from './postgres-database.ts';

export type { FreshPostgresDatabase };

/** The run's server, as a role that may create databases; null when there is none. */
export const postgresAdminUrl: string | null = inject('postgresAdminUrl') ?? null;

/** Whether this run has a PostgreSQL server to test against. */
export const postgresAvailable: boolean = postgresAdminUrl !== null;

/** `describe` when PostgreSQL is available, else `describe.skip`. */
export const describePg = describe.skipIf(!postgresAvailable);

/** Creates a new, empty database on the run's server. Throws when there is no server (use `describePg`). */
export async function freshPostgresDatabase(): Promise<FreshPostgresDatabase> {
  const admin = postgresAdminUrl;
  if (admin === null) {
    throw new Error('no PostgreSQL server in this run (see test/helpers/postgres.ts): wrap the test in describePg');
  }
  return createFreshDatabase(admin);
}
