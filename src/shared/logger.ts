/**
 * @module Structured, levelled logging to stderr (stdout is reserved for results).
 * JSON lines by default; a compact human format when asked for (`LOG_FORMAT=pretty`).
 * Values under keys that look like secrets are redacted, so a token can never reach a log.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFields = Record<string, unknown>;

/** The logging port every module receives. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. `{ module: 'ingest' }`). */
  child(fields: LogFields): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const SECRET_KEY = /token|secret|password|authorization|api[-_]?key|cookie/i;

export interface LoggerOptions {
  level?: LogLevel;
  format?: 'json' | 'pretty';
  write?: (line: string) => void;
  now?: () => Date;
}

/** Serialises errors and redacts secret-looking keys, recursively. */
export function toLogValue(value: unknown, depth = 0): unknown {
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: value.message };
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) out.code = code;
    if (value.cause !== undefined && depth < 3) out.cause = toLogValue(value.cause, depth + 1);
    if (value.stack && depth === 0) out.stack = value.stack.split('\n').slice(0, 6).join('\n');
    return out;
  }
  if (Array.isArray(value)) return depth > 4 ? '[array]' : value.map((v) => toLogValue(v, depth + 1));
  if (value && typeof value === 'object') {
    if (depth > 4) return '[object]';
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      out[k] = SECRET_KEY.test(k) ? '[redacted]' : toLogValue(v, depth + 1);
    }
    return out;
  }
  return value;
}

export function createLogger(options: LoggerOptions = {}, bound: LogFields = {}): Logger {
  const level = options.level ?? 'info';
  const format = options.format ?? 'json';
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => new Date());

  const emit = (lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: LogFields) => {
    if (ORDER[lvl] < ORDER[level]) return;
    const data = toLogValue({ ...bound, ...fields }) as LogFields;
    if (format === 'pretty') {
      const extra = Object.entries(data)
        .filter(([k]) => k !== 'module')
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      const mod = typeof data.module === 'string' ? `[${data.module}] ` : '';
      write(`${lvl.toUpperCase().padEnd(5)} ${mod}${msg}${extra ? `  ${extra}` : ''}`);
    } else {
      write(JSON.stringify({ time: now().toISOString(), level: lvl, msg, ...data }));
    }
  };

  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
  };
}

/** A logger that drops everything (tests, library use). */
export const silentLogger: Logger = createLogger({ level: 'silent' });
