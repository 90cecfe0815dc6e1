/**
 * @module `briefbot db migrate-to postgres://…`: copies a SQLite database into an empty PostgreSQL one,
 * table by table in one PostgreSQL transaction (all or nothing), from one consistent read of the SQLite
 * file, then checks that every table holds as many rows on both sides. Leases and feed claims are not
 * copied (they belong to running processes); the search index is rebuilt by PostgreSQL itself.
 */
import { BriefbotError } from '../shared/errors.ts';
import { migratePostgres } from './postgres/migrations.ts';
import { postgresHint, redactUrl } from './postgres/postgres-store.ts';
import { connectSyncPg } from './postgres/sync-client.ts';
import { openSqliteDatabase } from './sqlite/sqlite-store.ts';

/** The tables copied, in an order that satisfies the foreign keys (events before their articles). */
export const COPIED_TABLES = [
  'feeds',
  'events',
  'articles',
  'term_stats',
  'meta',
  'briefs',
  'deliveries',
  'event_posts',
  'channel_state',
] as const;

/** Rows per INSERT. */
const BATCH = 500;

export interface MigrationReport {
  from: string;
  to: string;
  tables: Array<{ table: string; rows: number }>;
}

export function migrateSqliteToPostgres(
  sqlitePath: string,
  url: string,
  options: { onTable?: (table: string, rows: number) => void } = {},
): MigrationReport {
  const source = openSqliteDatabase(sqlitePath);
  const target = connectSyncPg(url, { statementTimeoutMs: 10 * 60_000, applicationName: 'briefbot migrate-to' });
  try {
    const bot = source.prepare("SELECT pid, host, expires_at FROM leases WHERE name = 'bot'").get() as
      | { pid: number; host: string; expires_at: string }
      | undefined;
    if (bot && Date.parse(bot.expires_at) > Date.now()) {
      throw new BriefbotError(
        'bad_arguments',
        `a briefbot is running on ${sqlitePath} (pid ${bot.pid} on ${bot.host}): stop it first, so that nothing is written while the data is copied`,
      );
    }
    try {
      migratePostgres(target);
    } catch (err) {
      throw new BriefbotError('store_unusable', `cannot open ${redactUrl(url)}: ${(err as Error).message}${postgresHint(err, url)}`, {
        cause: err,
      });
    }
    const used = COPIED_TABLES.filter(
      (t) => Number(target.query(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${t} LIMIT 1) x`).rows[0]?.n) > 0,
    );
    if (used.length > 0) {
      throw new BriefbotError(
        'bad_arguments',
        `${redactUrl(url)} already holds briefbot data (${used.join(', ')}): migrate into an empty database (createdb briefbot_new)`,
      );
    }
    const report: MigrationReport = { from: sqlitePath, to: redactUrl(url), tables: [] };
    // One read transaction on SQLite (a consistent snapshot), one write transaction on PostgreSQL.
    source.exec('BEGIN');
    target.begin();
    try {
      for (const table of COPIED_TABLES) {
        const pgColumns = new Set(
          target
            .query(
              "SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND table_schema = current_schema() AND is_generated = 'NEVER' AND is_identity = 'NO'",
              [table],
            )
            .rows.map((r) => r.column_name as string),
        );
        const columns = (source.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>)
          .map((c) => c.name)
          .filter((c) => pgColumns.has(c));
        const list = columns.join(', ');
        const order = table === 'deliveries' ? ' ORDER BY id' : '';
        let rows = 0;
        let batch: Record<string, unknown>[] = [];
        const flush = () => {
          if (batch.length === 0) return;
          target.query(`INSERT INTO ${table} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${table}, $1::json)`, [
            JSON.stringify(batch),
          ]);
          rows += batch.length;
          batch = [];
        };
        for (const row of source.prepare(`SELECT ${list} FROM ${table}${order}`).iterate()) {
          batch.push(row as Record<string, unknown>);
          if (batch.length >= BATCH) flush();
        }
        flush();
        const copied = Number(target.query(`SELECT COUNT(*) AS n FROM ${table}`).rows[0]?.n ?? 0);
        if (copied !== rows) throw new BriefbotError('store_unusable', `${table}: ${rows} rows read, ${copied} written`);
        report.tables.push({ table, rows });
        options.onTable?.(table, rows);
      }
      target.commit();
    } catch (err) {
      target.rollback();
      throw err;
    } finally {
      source.exec('ROLLBACK');
    }
    return report;
  } finally {
    target.close();
    source.close();
  }
}
