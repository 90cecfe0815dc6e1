/**
 * @module A synchronous PostgreSQL connection. The store ports are synchronous (node:sqlite is), so the
 * PostgreSQL store runs `pg` in a worker thread and blocks on each answer (`Atomics.wait`), as SQLite
 * blocks on its disk. One connection per store: a transaction is BEGIN … COMMIT on it, and nothing else
 * runs on it meanwhile. Every call has a deadline (the server's `statement_timeout`, and a local one
 * above it), and while the server cannot be reached calls fail at once for a short while instead of
 * each waiting out a connection timeout, so an outage costs the event loop little.
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { BriefbotError } from '../../shared/errors.ts';

export type PgRow = Record<string, unknown>;

export interface PgResult {
  rows: PgRow[];
  rowCount: number;
}

export interface SyncPgOptions {
  /** Longest a statement may run (the server cancels it). Default 30 s. */
  statementTimeoutMs?: number;
  /** Longest a connection attempt may take. Default 5 s. */
  connectTimeoutMs?: number;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
}

export interface SyncPgClient {
  query(sql: string, params?: readonly unknown[]): PgResult;
  begin(): void;
  commit(): void;
  rollback(): void;
  close(): void;
}

/** What the worker answers (see pg-worker.ts). */
export type WorkerReply =
  | { ok: true; rows: PgRow[]; rowCount: number }
  | { ok: false; message: string; code?: string; detail?: string; connection: boolean };

export type WorkerRequest =
  | { type: 'query'; sql: string; params: readonly unknown[] }
  | { type: 'begin' | 'commit' | 'rollback' | 'close' };

/** An error from PostgreSQL: its SQLSTATE in `sqlState`, and whether the connection itself failed. */
export class PostgresError extends BriefbotError {
  readonly sqlState: string | undefined;
  readonly connection: boolean;
  constructor(message: string, options: { sqlState?: string | undefined; connection: boolean; detail?: string | undefined }) {
    super('store_unusable', options.detail ? `${message} (${options.detail})` : message);
    this.name = 'PostgresError';
    this.sqlState = options.sqlState;
    this.connection = options.connection;
  }
}

/**
 * PostgreSQL text cannot hold U+0000 (SQLite can): a stray NUL in a feed's text would make the article
 * unstorable on every poll. It carries nothing a reader sees, so it is dropped.
 */
function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
  if (Array.isArray(value)) return value.map(withoutNul);
  return value;
}

const workerFile = new URL(import.meta.url.endsWith('.ts') ? './pg-worker.ts' : './pg-worker.js', import.meta.url);

/** Opens a connection to `url` (connecting lazily, on the first call). */
export function connectSyncPg(url: string, options: SyncPgOptions = {}): SyncPgClient {
  const statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  // Above both server-side limits: the local deadline only fires when the worker itself is stuck.
  const deadlineMs = statementTimeoutMs + connectTimeoutMs + 5_000;
  let worker: Worker | null = null;
  let port: MessagePort | null = null;
  let flag = new Int32Array(new SharedArrayBuffer(4));
  let closed = false;
  /** BEGIN sent and not yet ended: a worker replaced meanwhile (a timeout) lost the transaction. */
  let inTransaction = false;

  const stopWorker = () => {
    port?.close();
    void worker?.terminate();
    worker = null;
    port = null;
  };

  const call = (request: WorkerRequest): PgResult => {
    if (closed) throw new PostgresError('the PostgreSQL store is closed', { connection: true });
    if (!worker || !port) {
      // The worker that held the transaction is gone: nothing more of it may run (outside it) until the
      // caller rolls back.
      if (inTransaction) {
        if (request.type === 'rollback') {
          inTransaction = false;
          return { rows: [], rowCount: 0 };
        }
        throw new PostgresError('the connection to PostgreSQL was lost during the transaction', { connection: true });
      }
      flag = new Int32Array(new SharedArrayBuffer(4));
      const channel = new MessageChannel();
      worker = new Worker(workerFile, {
        workerData: {
          url,
          port: channel.port2,
          flag,
          statementTimeoutMs,
          connectTimeoutMs,
          applicationName: options.applicationName ?? 'briefbot',
        },
        transferList: [channel.port2],
      });
      // The worker never keeps the process alive; close() ends it.
      worker.unref();
      port = channel.port1;
    }
    Atomics.store(flag, 0, 0);
    port.postMessage(request);
    if (Atomics.wait(flag, 0, 0, deadlineMs) === 'timed-out') {
      stopWorker();
      throw new PostgresError(`PostgreSQL did not answer within ${Math.round(deadlineMs / 1000)} s`, { connection: true });
    }
    const received = receiveMessageOnPort(port);
    if (!received) {
      stopWorker();
      throw new PostgresError('the PostgreSQL worker stopped without an answer', { connection: true });
    }
    const reply = received.message as WorkerReply;
    if (!reply.ok) {
      throw new PostgresError(reply.message, { sqlState: reply.code, connection: reply.connection, detail: reply.detail });
    }
    return { rows: reply.rows, rowCount: reply.rowCount };
  };

  return {
    query: (sql, params = []) => call({ type: 'query', sql, params: params.map(withoutNul) }),
    begin() {
      call({ type: 'begin' });
      inTransaction = true;
    },
    commit() {
      call({ type: 'commit' });
      inTransaction = false;
    },
    rollback() {
      try {
        call({ type: 'rollback' });
      } finally {
        inTransaction = false;
      }
    },
    close() {
      if (closed) return;
      if (worker) {
        try {
          call({ type: 'close' });
        } catch {
          // closing anyway
        }
      }
      closed = true;
      stopWorker();
    },
  };
}
