/**
 * A new, empty database on a PostgreSQL server, dropped when done: what `freshPostgresDatabase()`
 * (helpers/postgres.ts) gives each test, and what `npm run bench` stores its figures' data in. Free of
 * Vitest, so the benchmarks can use it too.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface FreshPostgresDatabase {
  /** Connection URL of the new database (same server and role as the admin URL). */
  url: string;
  /** Its name, `bb_<pid>_<counter>_<random>`. */
  name: string;
  /** Ends every connection to it and drops it. Safe to call twice. */
  drop(): Promise<void>;
}

let counter = 0;

/** Creates a new, empty database on the server of `admin` (a role that may create and drop databases). */
export async function createFreshDatabase(admin: string): Promise<FreshPostgresDatabase> {
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
