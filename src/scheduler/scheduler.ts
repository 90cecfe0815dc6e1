/**
 * @module Cron jobs on node-cron: a tick never overlaps the previous one (a slow poll skips a tick
 * rather than piling up), failures are logged rather than crashing the process, and `stop()` waits
 * for a running tick to finish so shutdown never cuts a write in half.
 */
import cron, { type ScheduledTask } from 'node-cron';
import { errorMessage } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';

export interface JobSpec {
  name: string;
  cron: string;
  timezone?: string | undefined;
  run: () => Promise<void>;
}

export interface Scheduler {
  add(job: JobSpec): void;
  /** Runs a job now (outside its schedule), unless it is already running. */
  runNow(name: string): Promise<void>;
  /** Next run times of a job, for logs and health. */
  nextRuns(name: string, n?: number): Date[];
  /** The last time the job was due before `before` (within a week), or null. */
  previousRun(name: string, before: Date): Date | null;
  stop(): Promise<void>;
}

export function createScheduler(logger: Logger): Scheduler {
  cron.setLogger({
    info: (m) => logger.debug(String(m), { module: 'node-cron' }),
    warn: (m) => logger.warn(String(m), { module: 'node-cron' }),
    error: (m, err) => logger.error(String(m), { module: 'node-cron', error: err }),
    debug: (m) => logger.debug(String(m), { module: 'node-cron' }),
  });
  const tasks = new Map<string, { task: ScheduledTask; job: JobSpec }>();
  const running = new Map<string, Promise<void>>();

  const execute = (job: JobSpec): Promise<void> => {
    const current = running.get(job.name);
    if (current !== undefined) {
      logger.warn('job still running; skipping this tick', { job: job.name });
      return current;
    }
    const started = Date.now();
    const p = job
      .run()
      .then(() => logger.debug('job finished', { job: job.name, ms: Date.now() - started }))
      .catch((err: unknown) => logger.error('job failed', { job: job.name, error: errorMessage(err) }))
      .finally(() => running.delete(job.name));
    running.set(job.name, p);
    return p;
  };

  return {
    add(job) {
      const task = cron.schedule(job.cron, () => execute(job), {
        name: job.name,
        ...(job.timezone ? { timezone: job.timezone } : {}),
      });
      tasks.set(job.name, { task, job });
    },
    runNow(name) {
      const entry = tasks.get(name);
      return entry ? execute(entry.job) : Promise.resolve();
    },
    nextRuns(name, n = 1) {
      return tasks.get(name)?.task.getNextRuns(n) ?? [];
    },
    previousRun(name, before) {
      const task = tasks.get(name)?.task;
      if (!task) return null;
      const minute = Math.floor((before.getTime() - 1) / 60_000) * 60_000;
      for (let t = minute; t > minute - 7 * 86_400_000; t -= 60_000) {
        const at = new Date(t);
        if (task.match(at)) return at;
      }
      return null;
    },
    async stop() {
      for (const { task } of tasks.values()) await task.destroy();
      await Promise.allSettled([...running.values()]);
    },
  };
}
