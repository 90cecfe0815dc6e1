/**
 * The PostgreSQL test helper itself: each fresh database is empty and separate from the others, and drop()
 * removes it even while a connection to it is still open. Skipped when the run has no PostgreSQL server.
 */
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { describePg, type FreshPostgresDatabase, freshPostgresDatabase, postgresAdminUrl } from '../../helpers/postgres.ts';

const clients: pg.Client[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => {})));
});

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  // A backend ended by drop() reports an error on the idle client: expected here, not a crash.
  client.on('error', () => {});
  await client.connect();
  clients.push(client);
  return client;
}

async function existing(names: string[]): Promise<string[]> {
  const admin = await connect(postgresAdminUrl ?? '');
  const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname = ANY($1) ORDER BY datname', [
    names,
  ]);
  return rows.map((r) => r.datname);
}

describePg('freshPostgresDatabase', () => {
  it('gives separate empty databases, and drop() removes them even with a connection open', async () => {
    const a: FreshPostgresDatabase = await freshPostgresDatabase();
    const b: FreshPostgresDatabase = await freshPostgresDatabase();
    expect(a.name).not.toBe(b.name);
    expect(a.name).toMatch(/^bb_\d+_\d+_[0-9a-f]{8}$/);

    const ca = await connect(a.url);
    const cb = await connect(b.url);
    expect((await ca.query('SELECT current_database() AS db')).rows[0].db).toBe(a.name);
    expect((await cb.query('SELECT current_database() AS db')).rows[0].db).toBe(b.name);
    expect((await cb.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'")).rows[0].n).toBe(0);

    for (const c of [ca, cb]) await c.query('CREATE TABLE note (id int PRIMARY KEY, body text NOT NULL)');
    await ca.query("INSERT INTO note VALUES (1, 'only in a')");
    expect((await ca.query('SELECT body FROM note')).rows).toEqual([{ body: 'only in a' }]);
    expect((await cb.query('SELECT body FROM note')).rows).toEqual([]);

    expect(await existing([a.name, b.name])).toEqual([a.name, b.name].sort());
    await a.drop(); // ca is still connected
    await b.drop();
    await b.drop(); // twice is fine
    expect(await existing([a.name, b.name])).toEqual([]);
    await expect(ca.query('SELECT 1')).rejects.toThrow();
  });
});
