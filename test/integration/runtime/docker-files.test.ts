/**
 * The Docker image's health check and build context: the HEALTHCHECK command is run for real against
 * the health server (so it probes liveness, not readiness), and the build context leaves out what an
 * image must not carry.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Health, startHealthServer } from '../../../src/runtime/http-server.ts';
import { createMetrics } from '../../../src/runtime/metrics.ts';

const ROOT = join(import.meta.dirname, '../../..');

function healthcheckCommand(): string[] {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8').replace(/\\\n\s*/g, ' ');
  const line = /^HEALTHCHECK .*?CMD (\[.*\])\s*$/m.exec(dockerfile)?.[1];
  if (!line) throw new Error('no HEALTHCHECK in the Dockerfile');
  return JSON.parse(line) as string[];
}

function runCheck(port: number): Promise<number> {
  const [, ...args] = healthcheckCommand();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', HTTP_PORT: String(port) }, stdio: 'ignore' });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

describe('Docker image', () => {
  it('checks liveness: healthy while degraded (a restart would not help), unhealthy once the loop stops', async () => {
    let health: Health = { status: 'degraded', live: true, problems: ['slack refuses the token or a scope is missing'] };
    const server = await startHealthServer({ port: 0, host: '127.0.0.1', metrics: createMetrics(), health: () => health });
    try {
      expect(healthcheckCommand()[0]).toBe('node');
      expect(await runCheck(server.port)).toBe(0);
      health = { status: 'degraded', live: false, problems: ['no poll has finished for 10 minutes'] };
      expect(await runCheck(server.port)).toBe(1);
    } finally {
      await server.close();
    }
    expect(await runCheck(server.port)).toBe(1);
  });

  it('keeps secrets, the database, dependencies and git history out of the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const entry of ['.git', 'node_modules', 'data', '.env', '*.db', 'test']) expect(ignored).toContain(entry);
  });
});
