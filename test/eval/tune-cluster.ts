/**
 * Grid search over clustering parameters on every labelled set; ranks settings by their WORST set's
 * B-cubed F1 (so no single set drives the choice), then the mean. For tuning by hand, not CI:
 *   node test/eval/tune-cluster.ts joinThreshold=0.25,0.3,0.35 entityWeight=0.25,0.35
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { DEFAULT_CLUSTER_PARAMS } from '../../src/cluster/cluster-stories.ts';
import { DEFAULT_FEATURE_WEIGHTS, type FeatureWeights } from '../../src/cluster/features.ts';
import { evaluate, parseParams, readRows } from './cluster-eval-lib.ts';

const root = resolve(import.meta.dirname, '../..');
const dir = join(root, 'test/fixtures/cluster');
const sets = readdirSync(dir)
  .filter((f) => f.endsWith('.jsonl'))
  .map((f) => ({ name: basename(f), rows: readRows(join(dir, f)) }));
const uciPath = join(root, '../shared/data/uci-headlines-stream.jsonl');
const uci = existsSync(uciPath) ? readRows(uciPath) : null;

const axes = process.argv.slice(2).map((a) => {
  const [k, vs] = a.split('=');
  return { key: k as string, values: (vs ?? '').split(',').map(Number) };
});
const combos: Array<Record<string, number>> = [{}];
for (const axis of axes) {
  const next: Array<Record<string, number>> = [];
  for (const c of combos) for (const v of axis.values) next.push({ ...c, [axis.key]: v });
  combos.splice(0, combos.length, ...next);
}
const results = combos.map((c) => {
  const weights: FeatureWeights = { ...DEFAULT_FEATURE_WEIGHTS };
  const overrides: string[] = [];
  for (const [k, v] of Object.entries(c)) {
    if (k in weights) (weights as unknown as Record<string, number>)[k] = v;
    else overrides.push(`${k}=${v}`);
  }
  const params = parseParams(overrides, DEFAULT_CLUSTER_PARAMS);
  const f1s = sets.map((s) => evaluate(s.rows, params, weights).scores.b3.f1);
  const u = uci ? evaluate(uci, params, weights).scores.b3.f1 : Number.NaN;
  return { c, f1s, min: Math.min(...f1s), mean: f1s.reduce((a, b) => a + b, 0) / f1s.length, uci: u };
});
results.sort((a, b) => b.min - a.min || b.mean - a.mean);
process.stdout.write(`sets: ${sets.map((s) => s.name).join(', ')}${uci ? ', (uci)' : ''}\n`);
for (const r of results.slice(0, 25)) {
  process.stdout.write(
    `min=${r.min.toFixed(3)} mean=${r.mean.toFixed(3)} [${r.f1s.map((f) => f.toFixed(3)).join(' ')}] uci=${r.uci.toFixed(3)}  ${JSON.stringify(r.c)}\n`,
  );
}
