/**
 * `npm run bench`: speed and memory figures (never asserted in tests). Each section runs in its own
 * child process so peak RSS is that section's own.
 *   npm run bench                # every section but the long ones (about 4.5 minutes, 3.5 of them postgres)
 *   npm run bench -- ingest      # one section
 *   npm run bench -- scale       # 15,000 against 150,000 articles end to end (about six minutes)
 *   npm run bench -- postgres    # SQLite beside PostgreSQL: ingest + cluster 15,000, /brief over 100,000 (about four minutes)
 * The postgres section starts a throwaway PostgreSQL (or uses BRIEFBOT_BENCH_POSTGRES_URL), see
 * bench-postgres-server.ts; without one it prints the SQLite figures and says why PostgreSQL's are skipped.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const here = import.meta.dirname;
const sections: Record<string, string[]> = {
  ingest: [join(here, 'bench-ingest.ts'), '--feeds', '500', '--items', '20000'],
  cluster: [join(here, 'bench-cluster-scaling.ts')],
  brief: [join(here, 'bench-brief.ts')],
  scale: [join(here, 'bench-cluster-scaling.ts'), '--small', '15000', '--large', '150000'],
  postgres: [join(here, 'bench-postgres.ts')],
};
/** Sections that take minutes: run only when named. */
const LONG = new Set(['scale']);

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const [name, args] of Object.entries(sections)) {
  if (wanted.length ? !wanted.includes(name) : LONG.has(name)) continue;
  process.stdout.write(`\n== ${name} ==\n`);
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit' });
    child.on('exit', (c) => resolve(c ?? 1));
  });
  if (code !== 0) {
    process.stderr.write(`bench section ${name} failed (exit ${code})\n`);
    process.exitCode = 1;
  }
}
