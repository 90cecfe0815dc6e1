/** Runs the end-to-end pipeline bench at two sizes (default 1,500 and 15,000 articles) and reports how cost grows. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import type { PipelineResult } from './bench-pipeline.ts';

const run = async (items: number): Promise<PipelineResult> => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(import.meta.dirname, 'bench-pipeline.ts'), '--items', String(items), '--json'],
    {
      maxBuffer: 1 << 20,
      timeout: 30 * 60_000,
    },
  );
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as PipelineResult;
};

const { values } = parseArgs({ options: { small: { type: 'string' }, large: { type: 'string' } } });
const small = await run(Number(values.small ?? 1500));
const large = await run(Number(values.large ?? 15000));
for (const r of [small, large]) {
  process.stdout.write(
    `${String(r.articles).padStart(6)} articles → ${r.events} events: ingest ${r.ingestSecs.toFixed(2)} s, cluster ${r.clusterSecs.toFixed(2)} s ` +
      `(${(r.articles / r.clusterSecs).toFixed(0)} articles/s), end to end ${r.totalSecs.toFixed(2)} s, peak RSS ${r.peakMb.toFixed(0)} MB, ` +
      `event loop held at most ${r.loopDelayMaxMs.toFixed(0)} ms (p99 ${r.loopDelayP99Ms.toFixed(0)} ms)\n`,
  );
}
process.stdout.write(
  `${(large.articles / small.articles).toFixed(0)}× the articles: clustering ${(large.clusterSecs / small.clusterSecs).toFixed(1)}× the time, end to end ${(large.totalSecs / small.totalSecs).toFixed(1)}×\n`,
);
