/**
 * The PostgreSQL store when its connection goes: a connection the server ends (a restart, a failover, an
 * idle timeout) is opened again for the next statement; one lost inside a transaction fails that
 * transaction, and nothing of it is kept; a server that cannot be reached is named in the error, without
 * its password.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { BriefbotError } from '../../../src/shared/errors.ts';
import type { Store, StoredEvent } from '../../../src/store/ports.ts';
import { createPostgresStore, redactUrl } from '../../../src/store/postgres/postgres-store.ts';
import { connectSyncPg } from '../../../src/store/postgres/sync-client.ts';
import { describePg, type FreshPostgresDatabase, freshPostgresDatabase } from '../../helpers/postgres.ts';
import { event } from './describe-store.ts';

let db: FreshPostgresDatabase;
let store: Store;

/**
 * Ends every connection to the test database but its own (as a server restart would). Through a second
 * synchronous connection, so it works while the store's thread is blocked in a transaction.
 */
function endConnections(): number {
  const admin = connectSyncPg(db.url);
  try {
    return admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [db.name])
      .rowCount;
  } finally {
    admin.close();
  }
}

beforeEach(async () => {
  db = await freshPostgresDatabase();
  store = createPostgresStore(db.url);
});
afterEach(async () => {
  store.close();
  await db.drop();
});

describePg('PostgreSQL store: connections', () => {
  it('opens a new connection when the server ended the old one, and loses nothing', async () => {
    store.events.save(event('e1'));
    expect(endConnections()).toBe(1);
    // The first statement may learn of the loss; a later one runs on a new connection.
    let saved = false;
    for (let i = 0; i < 3 && !saved; i++) {
      try {
        store.events.save(event('e2'));
        saved = true;
      } catch (err) {
        expect(err).toBeInstanceOf(BriefbotError);
      }
    }
    expect(saved).toBe(true);
    expect(store.events.getMany(['e1', 'e2']).map((e) => e.id)).toEqual(['e1', 'e2']);
  });

  it('fails a transaction whose connection was lost, keeps none of it, and works afterwards', async () => {
    expect(() =>
      store.transaction(() => {
        store.events.save(event('e1'));
        // The server ends the connection in the middle of the transaction.
        expect(endConnections()).toBe(1);
        store.events.save(event('e2'));
      }),
    ).toThrow(BriefbotError);
    let after: StoredEvent[] | null = null;
    for (let i = 0; i < 3 && after === null; i++) {
      try {
        after = store.events.getMany(['e1', 'e2']);
      } catch {
        // the first call after the loss may still report it
      }
    }
    expect(after).toEqual([]);
    store.events.save(event('e3'));
    expect(store.events.get('e3')?.id).toBe('e3');
  });

  it('stores text holding a NUL character (which PostgreSQL refuses) without it', () => {
    store.events.save({ ...event('e1'), title: 'Flood\u0000 warning' });
    expect(store.events.get('e1')?.title).toBe('Flood warning');
  });

  it('names a server it cannot reach, without the password, and says what to check', () => {
    let error: unknown;
    try {
      createPostgresStore('postgres://briefbot:hunter2@127.0.0.1:1/briefbot', { connectTimeoutMs: 2_000 });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(BriefbotError);
    const message = (error as Error).message;
    expect(message).toMatch(/cannot open database postgres:\/\/briefbot:\*\*\*@127\.0\.0\.1:1\/briefbot/);
    expect(message).toMatch(/ECONNREFUSED/);
    expect(message).toMatch(/is PostgreSQL running and reachable/);
    expect(message).not.toContain('hunter2');
    expect(redactUrl('postgres://briefbot@db/briefbot?sslmode=require&password=hunter2')).not.toContain('hunter2');
  });
});
