/**
 * @module This process as a lease holder, and whether a process on this host still runs: what the
 * store's leases need to tell a live holder from one that was killed.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { LeaseHolder } from '../store/ports.ts';

export function thisProcess(): LeaseHolder {
  return { id: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, pid: process.pid, host: hostname() };
}

/** Whether a process with this pid runs on this host (a signal 0 probe: nothing is sent). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
