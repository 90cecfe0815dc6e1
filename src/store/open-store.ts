/**
 * @module The store the config asks for: PostgreSQL when `store.url` (or DATABASE_URL) is set, else the
 * SQLite file at `store.path`. The PostgreSQL driver (`pg`) is loaded only then, in its worker thread.
 */
import type { Config } from '../config/load-config.ts';
import type { Store } from './ports.ts';
import { createPostgresStore } from './postgres/postgres-store.ts';
import { createSqliteStore } from './sqlite/sqlite-store.ts';

export function openStore(config: Pick<Config, 'store'>): Store {
  const { url, path, maxSize } = config.store;
  return url ? createPostgresStore(url) : createSqliteStore(path, { maxSize });
}
