/**
 * Learns the clusterer's score weights from labelled streams (logistic regression over
 * article-vs-candidate-event features, with the events built from the gold labels as the stream
 * arrives). Prints the weights, and cross-set results: train on one set, test on the others.
 *   node test/eval/train-cluster.ts
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { byPublication } from '../../src/cluster/cluster-batch.ts';
import {
  absorb,
  type ClusterEvent,
  type ClusterParams,
  DEFAULT_CLUSTER_PARAMS,
  gapHours,
  newClusterEvent,
  scoreEvent,
} from '../../src/cluster/cluster-stories.ts';
import { buildFeatures, countTerms, documentKeys } from '../../src/cluster/features.ts';
import { addDocument, createTermStats } from '../../src/cluster/term-stats.ts';
import { evaluate, type Row, readRows } from './cluster-eval-lib.ts';

const FEATURES = ['text', 'title', 'entity', 'gapDays', 'sameOutlet', 'logSize'] as const;

function examples(rows: readonly Row[], params: ClusterParams): Array<{ x: number[]; y: number }> {
  const ordered = byPublication(rows);
  const stats = createTermStats();
  const counts = ordered.map((r) => countTerms(r));
  for (const c of counts) addDocument(stats, new Set(documentKeys(c)));
  const events = new Map<string, ClusterEvent>();
  const out: Array<{ x: number[]; y: number }> = [];
  ordered.forEach((r, i) => {
    const a = buildFeatures(r, counts[i] as ReturnType<typeof countTerms>, stats);
    for (const [label, e] of events) {
      if (gapHours(e, a.time) > params.windowHours) continue;
      const s = scoreEvent(a, e, { ...params, sameOutletPenalty: 0, gapPenaltyPerDay: 0, sizeWeight: 0 });
      if (s.text <= 0.02 && s.entity <= 0.02) continue; // not a retrieval candidate
      const same = e.recent.some((x) => x.outlet === a.outlet && Math.abs(x.time - a.time) <= params.sameOutletMinutes * 60_000) ? 1 : 0;
      out.push({
        x: [s.text, s.title, s.entity, Math.max(0, s.gapHours - params.gapGraceHours) / 24, same, Math.log1p(e.size)],
        y: label === r.label ? 1 : 0,
      });
    }
    let e = events.get(r.label);
    if (!e) {
      e = newClusterEvent(r.label, a, null);
      events.set(r.label, e);
    }
    absorb(e, a, params);
  });
  return out;
}

function train(data: Array<{ x: number[]; y: number }>, l2 = 0.01, epochs = 3000, lr = 0.5): { w: number[]; b: number } {
  const n = FEATURES.length;
  const w = new Array<number>(n).fill(0);
  let b = 0;
  const pos = data.filter((d) => d.y === 1).length;
  const neg = data.length - pos;
  const cw = (y: number) => (y === 1 ? data.length / (2 * pos) : data.length / (2 * neg));
  for (let epoch = 0; epoch < epochs; epoch++) {
    const gw = new Array<number>(n).fill(0);
    let gb = 0;
    for (const d of data) {
      const z = b + d.x.reduce((s, v, k) => s + v * (w[k] as number), 0);
      const p = 1 / (1 + Math.exp(-z));
      const g = (p - d.y) * cw(d.y);
      for (let k = 0; k < n; k++) gw[k] = (gw[k] as number) + g * (d.x[k] as number);
      gb += g;
    }
    for (let k = 0; k < n; k++) w[k] = (w[k] as number) - lr * ((gw[k] as number) / data.length + l2 * (w[k] as number));
    b -= (lr * gb) / data.length;
  }
  return { w, b };
}

/** Turns logistic weights into clusterer params (score ≥ threshold ⇔ z ≥ 0), text weight as the scale. */
export function toParams(model: { w: number[]; b: number }, base: ClusterParams = DEFAULT_CLUSTER_PARAMS): ClusterParams {
  const [text = 1, title = 0, entity = 0, gapDays = 0, same = 0, size = 0] = model.w;
  const scale = text;
  return {
    ...base,
    textWeight: 1,
    titleWeight: title / scale,
    entityWeight: entity / scale,
    gapPenaltyPerDay: Math.max(0, -gapDays / scale),
    sameOutletPenalty: Math.max(0, -same / scale),
    sizeWeight: size / scale,
    joinThreshold: -model.b / scale,
  };
}

const dir = resolve(import.meta.dirname, '../fixtures/cluster');
const sets = readdirSync(dir)
  .filter((f) => f.endsWith('.jsonl'))
  .map((f) => ({ name: f, rows: readRows(join(dir, f)) }));
const base = DEFAULT_CLUSTER_PARAMS;
const fmt = (p: ClusterParams) =>
  `text=1 title=${p.titleWeight.toFixed(3)} entity=${p.entityWeight.toFixed(3)} gap/day=${p.gapPenaltyPerDay.toFixed(3)} sameOutlet=${p.sameOutletPenalty.toFixed(3)} size=${p.sizeWeight.toFixed(3)} threshold=${p.joinThreshold.toFixed(3)}`;
for (const held of sets) {
  const trainData = sets.filter((s) => s !== held).flatMap((s) => examples(s.rows, base));
  const p = toParams(train(trainData), base);
  const f1 = evaluate(held.rows, p).scores.b3.f1;
  process.stdout.write(`train without ${held.name}: ${fmt(p)}\n  → ${held.name} B3 F1 ${f1.toFixed(3)}\n`);
}
const all = toParams(train(sets.flatMap((s) => examples(s.rows, base))), base);
process.stdout.write(`train on all: ${fmt(all)}\n`);
for (const s of sets) process.stdout.write(`  ${s.name} B3 F1 ${evaluate(s.rows, all).scores.b3.f1.toFixed(3)}\n`);
