/**
 * A real briefbot process (`node src/main.ts`) for the scale-out tests: spawned with its own environment,
 * its JSON log lines on stderr parsed as they come (so a test can wait for "slack app listening" and read
 * the port, say), and killed with SIGKILL, as an orchestrator or the kernel would.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const MAIN = join(import.meta.dirname, '../../../src/main.ts');

export interface LogLine {
  time?: string;
  level: string;
  msg: string;
  [field: string]: unknown;
}

export interface BotProcess {
  /** The test's name for it ("A", "B", …), also in its Slack token, so a Slack call tells which process made it. */
  name: string;
  proc: ChildProcess;
  /** Every JSON log line so far. */
  logs: LogLine[];
  /** stderr as written (including anything that is not a JSON line). */
  stderr(): string;
  /** Resolves with the first log line (past or future) that `match` accepts; rejects on exit or after `timeoutMs`. */
  waitForLog(match: (line: LogLine) => boolean, what: string, timeoutMs?: number): Promise<LogLine>;
  alive(): boolean;
  /** SIGKILL, and waits for the exit. */
  kill(): Promise<void>;
}

export function spawnBot(name: string, env: Record<string, string>, cwd: string): BotProcess {
  const proc = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ...env }, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  const logs: LogLine[] = [];
  const listeners = new Set<() => void>();
  let raw = '';
  let pending = '';
  proc.stderr?.on('data', (d: Buffer) => {
    const text = d.toString();
    raw += text;
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        // not a log line (a crash's stack, say): kept in stderr()
      }
    }
    for (const l of [...listeners]) l();
  });
  const alive = () => proc.exitCode === null && proc.signalCode === null;
  proc.once('exit', () => {
    for (const l of [...listeners]) l();
  });

  return {
    name,
    proc,
    logs,
    stderr: () => raw,
    alive,
    waitForLog(match, what, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const finish = (err: Error | null, line?: LogLine) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (err) reject(err);
          else resolve(line as LogLine);
        };
        const check = () => {
          const line = logs.find(match);
          if (line) finish(null, line);
          else if (!alive()) finish(new Error(`instance ${name} exited while waiting for ${what}:\n${raw.slice(-3000)}`));
        };
        const timer = setTimeout(
          () => finish(new Error(`instance ${name}: timed out after ${timeoutMs} ms waiting for ${what}:\n${raw.slice(-3000)}`)),
          timeoutMs,
        );
        listeners.add(check);
        check();
      });
    },
    async kill() {
      if (!alive()) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await exited;
    },
  };
}

/** Polls `predicate` until it holds (for state spread over several fakes and processes). */
export async function waitUntil(
  predicate: () => boolean,
  what: string,
  timeoutMs = 20_000,
  detail: () => string = () => '',
): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${detail()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
