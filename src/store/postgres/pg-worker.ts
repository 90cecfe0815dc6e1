/**
 * @module The worker thread behind sync-client.ts: one `pg` connection, one request at a time. It answers
 * on the message port, then wakes the blocked caller through the shared flag. A connection lost inside a
 * transaction fails every statement until the caller rolls back (nothing of a half transaction is ever
 * run outside it), and after a failed connection attempt it fails at once for a while (backing off).
 */
import { type MessagePort, workerData } from 'node:worker_threads';
import pg from 'pg';
import type { WorkerReply, WorkerRequest } from './sync-client.ts';

interface Data {
  url: string;
  port: MessagePort;
  flag: Int32Array;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  applicationName: string;
}

const data = workerData as Data;
/**
 * After a failed connection attempt, calls fail at once for a while (an outage must not stall every call
 * for a connection timeout): 1 s after the first failure, doubling up to a minute.
 */
const failFastMs = (failures: number): number => Math.min(60_000, 1_000 * 2 ** Math.max(0, failures - 1));

let client: pg.Client | null = null;
/** The connection a transaction began on; another (or none) means the transaction is lost. */
let transactionOn: pg.Client | null = null;
let inTransaction = false;
let lastConnectFailure: { at: number; failures: number; message: string; code?: string } | null = null;

async function connection(): Promise<pg.Client> {
  if (client) return client;
  if (lastConnectFailure && Date.now() - lastConnectFailure.at < failFastMs(lastConnectFailure.failures)) {
    throw Object.assign(new Error(lastConnectFailure.message), { code: lastConnectFailure.code, connection: true });
  }
  const c = new pg.Client({
    connectionString: data.url,
    connectionTimeoutMillis: data.connectTimeoutMs,
    statement_timeout: data.statementTimeoutMs,
    application_name: data.applicationName,
  });
  c.on('error', () => {
    if (client === c) client = null;
  });
  try {
    await c.connect();
  } catch (err) {
    const e = err as { message?: string; code?: string };
    lastConnectFailure = {
      at: Date.now(),
      failures: (lastConnectFailure?.failures ?? 0) + 1,
      message: `cannot connect to PostgreSQL: ${e.message ?? String(err)}`,
      ...(e.code ? { code: e.code } : {}),
    };
    c.end().catch(() => undefined);
    throw Object.assign(new Error(lastConnectFailure.message), { code: e.code, connection: true });
  }
  lastConnectFailure = null;
  client = c;
  return c;
}

/** Node's socket errors and PostgreSQL's connection classes (08…, 57P01 admin shutdown) mean the connection is gone. */
function isConnectionError(err: { code?: string; connection?: boolean }): boolean {
  if (err.connection) return true;
  const code = err.code ?? '';
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || /^E[A-Z]+$/.test(code);
}

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  switch (request.type) {
    case 'close':
      await client?.end().catch(() => undefined);
      client = null;
      return { ok: true, rows: [], rowCount: 0 };
    case 'rollback': {
      const c = transactionOn;
      inTransaction = false;
      transactionOn = null;
      if (c && c === client) await c.query('ROLLBACK').catch(() => undefined);
      return { ok: true, rows: [], rowCount: 0 };
    }
    case 'begin': {
      const c = await connection();
      await c.query('BEGIN');
      inTransaction = true;
      transactionOn = c;
      return { ok: true, rows: [], rowCount: 0 };
    }
    case 'commit': {
      const c = transactionOn;
      if (!inTransaction || !c || c !== client)
        throw Object.assign(new Error('the connection to PostgreSQL was lost during the transaction'), { connection: true });
      await c.query('COMMIT');
      inTransaction = false;
      transactionOn = null;
      return { ok: true, rows: [], rowCount: 0 };
    }
    case 'query': {
      if (inTransaction && transactionOn !== client) {
        throw Object.assign(new Error('the connection to PostgreSQL was lost during the transaction'), { connection: true });
      }
      const c = inTransaction && transactionOn ? transactionOn : await connection();
      const result = await c.query({ text: request.sql, values: [...request.params] });
      return { ok: true, rows: result.rows as Record<string, unknown>[], rowCount: result.rowCount ?? 0 };
    }
  }
}

data.port.on('message', (request: WorkerRequest) => {
  void handle(request)
    .catch((err: unknown): WorkerReply => {
      const e = err as { message?: string; code?: string; detail?: string; connection?: boolean };
      const connectionLost = isConnectionError(e);
      if (connectionLost && client) {
        client.end().catch(() => undefined);
        client = null;
      }
      return {
        ok: false,
        message: e.message ?? String(err),
        ...(e.code ? { code: e.code } : {}),
        ...(e.detail ? { detail: e.detail } : {}),
        connection: connectionLost,
      };
    })
    .then((reply) => {
      data.port.postMessage(reply);
      Atomics.store(data.flag, 0, 1);
      Atomics.notify(data.flag, 0);
    });
});
