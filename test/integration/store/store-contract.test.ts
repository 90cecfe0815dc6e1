/**
 * The store suite (describe-store.ts) on every store: SQLite on a temp file, and PostgreSQL on a fresh
 * database of the run's throwaway server (skipped when there is none; `.ci/run` requires it).
 */
import { join } from 'node:path';
import { createPostgresStore } from '../../../src/store/postgres/postgres-store.ts';
import { createSqliteStore } from '../../../src/store/sqlite/sqlite-store.ts';
import { tempDir } from '../../helpers/bot-harness.ts';
import { describePg, freshPostgresDatabase } from '../../helpers/postgres.ts';
import { describeStore } from './describe-store.ts';

describeStore('SQLite', async () => {
  const path = join(tempDir('store'), 'briefbot.db');
  const store = createSqliteStore(path);
  return {
    store,
    openAnother: () => createSqliteStore(path),
    async close() {
      store.close();
    },
  };
});

describePg('PostgreSQL store', () => {
  describeStore('PostgreSQL', async () => {
    const db = await freshPostgresDatabase();
    const store = createPostgresStore(db.url);
    return {
      store,
      openAnother: () => createPostgresStore(db.url),
      async close() {
        store.close();
        await db.drop();
      },
    };
  });
});
