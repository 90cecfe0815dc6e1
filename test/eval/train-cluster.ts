/**
 * Learns the clusterer's score weights from labelled streams: logistic regression over
 * article-vs-candidate-event features (events built from the gold labels as the stream arrives),
 * each stream weighing the same whatever its size, then the join threshold chosen by clustering.
 * Prints the weights, and leave-one-stream-out results (trained without a stream, scored on it), so a
 * weight that only helps one stream shows up as a drop on that stream when it is held out.
 *   node test/eval/train-cluster.ts [--exclude NAME]...      (default sets as in eval-cluster.ts)
 */
import { parseArgs } from 'node:util';
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
import { buildFeatures, countTerms, documentKeys, type TermCounts } from '../../src/cluster/features.ts';
import { addDocument, createTermStats } from '../../src/cluster/term-stats.ts';
import { defaultSets, evaluate, type Row } from './cluster-eval-lib.ts';

// Event size is left out on purpose: in a stream whose stories all have three articles (allsides) it
// learns "a fourth article never joins", which would split every big event of a real news day.
const FEATURES = ['text', 'title', 'nearest', 'entity', 'titleMiss', 'coreMiss', 'gapDays', 'sameOutlet'] as const;
type Example = { x: number[]; y: number; w: number };
const SHORTLIST = Number(process.env.SHORTLIST ?? 5);

function examples(rows: readonly Row[], params: ClusterParams): Example[] {
  const ordered = byPublication(rows);
  const stats = createTermStats();
  const counts = ordered.map((r) => countTerms(r));
  for (const c of counts) addDocument(stats, new Set(documentKeys(c)));
  const events = new Map<string, ClusterEvent>();
  const out: Example[] = [];
  const measure = { ...params, nearestWeight: 1, sameOutletPenalty: 0, gapPenaltyPerDay: 0, sizeWeight: 0 };
  ordered.forEach((r, i) => {
    const a = buildFeatures(r, counts[i] as TermCounts, stats);
    // The decision is among the closest few events: train on those (the clusterer's shortlist).
    const shortlist = [...events]
      .map(([label, e]) => ({ label, e, s: scoreEvent(a, e, params).score }))
      .sort((x, y) => y.s - x.s)
      .slice(0, SHORTLIST);
    for (const { label, e } of shortlist) {
      if (gapHours(e, a.time) > params.windowHours) continue;
      const s = scoreEvent(a, e, measure);
      if (s.text <= 0.02 && s.entity <= 0.02) continue; // not a retrieval candidate
      const same = e.recent.some((x) => x.outlet === a.outlet && Math.abs(x.time - a.time) <= params.sameOutletMinutes * 60_000) ? 1 : 0;
      out.push({
        x: [s.text, s.title, s.nearest, s.entity, s.titleMiss, s.coreMiss, Math.max(0, s.gapHours - params.gapGraceHours) / 24, same],
        y: label === r.label ? 1 : 0,
        w: 1,
      });
    }
    let e = events.get(r.label);
    if (!e) {
      e = newClusterEvent(r.label, a, null);
      events.set(r.label, e);
    }
    absorb(e, a, params);
  });
  // Each stream, and each class within it, weighs the same in training.
  const pos = out.filter((d) => d.y === 1).length;
  const neg = out.length - pos;
  for (const d of out) d.w = d.y === 1 ? 0.5 / Math.max(1, pos) : 0.5 / Math.max(1, neg);
  return out;
}

function train(data: readonly Example[], l2 = 1e-4, epochs = 4000, lr = 2): { w: number[]; b: number } {
  const n = FEATURES.length;
  const w = new Array<number>(n).fill(0);
  let b = 0;
  const total = data.reduce((s, d) => s + d.w, 0);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const gw = new Array<number>(n).fill(0);
    let gb = 0;
    for (const d of data) {
      let z = b;
      for (let k = 0; k < n; k++) z += (d.x[k] as number) * (w[k] as number);
      const g = (1 / (1 + Math.exp(-z)) - d.y) * d.w;
      for (let k = 0; k < n; k++) gw[k] = (gw[k] as number) + g * (d.x[k] as number);
      gb += g;
    }
    for (let k = 0; k < n; k++) w[k] = (w[k] as number) - lr * ((gw[k] as number) / total + l2 * (w[k] as number));
    b -= (lr * gb) / total;
  }
  return { w, b };
}

/** Logistic weights as clusterer params, on the text-cosine scale (the threshold is chosen later). */
function toParams(model: { w: number[]; b: number }, base: ClusterParams = DEFAULT_CLUSTER_PARAMS): ClusterParams {
  const [text = 1, title = 0, nearest = 0, entity = 0, titleMiss = 0, coreMiss = 0, gapDays = 0, same = 0] = model.w;
  const scale = text;
  return {
    ...base,
    textWeight: 1,
    titleWeight: title / scale,
    nearestWeight: nearest / scale,
    entityWeight: entity / scale,
    titleEntityMissWeight: Math.max(0, -titleMiss / scale),
    coreEntityMissWeight: Math.max(0, -coreMiss / scale),
    gapPenaltyPerDay: Math.max(0, -gapDays / scale),
    sameOutletPenalty: Math.max(0, -same / scale),
    sizeWeight: 0,
    joinThreshold: -model.b / scale,
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const fmt = (p: ClusterParams) =>
  JSON.stringify({
    title: round(p.titleWeight),
    nearest: round(p.nearestWeight),
    entity: round(p.entityWeight),
    titleMiss: round(p.titleEntityMissWeight),
    coreMiss: round(p.coreEntityMissWeight),
    gapPerDay: round(p.gapPenaltyPerDay),
    sameOutlet: round(p.sameOutletPenalty),
    size: round(p.sizeWeight),
    threshold: round(p.joinThreshold),
  });

/** The threshold (scanned around the logistic one) with the best worst-stream B-cubed F1. */
function chooseThreshold(p: ClusterParams, sets: ReadonlyArray<{ rows: Row[] }>): ClusterParams {
  let best = { p, min: -1, mean: -1 };
  for (let k = -8; k <= 8; k++) {
    const candidate = { ...p, joinThreshold: p.joinThreshold + k * 0.03 };
    const f1s = sets.map((s) => evaluate(s.rows, candidate).scores.b3.f1);
    const min = Math.min(...f1s);
    const mean = f1s.reduce((x, y) => x + y, 0) / f1s.length;
    if (min > best.min + 1e-9 || (Math.abs(min - best.min) < 1e-9 && mean > best.mean)) best = { p: candidate, min, mean };
  }
  return best.p;
}

const { values } = parseArgs({ options: { exclude: { type: 'string', multiple: true } } });
const excluded = values.exclude ?? [];
const sets = defaultSets({ dense: true })
  .filter((s) => !excluded.some((x) => s.name.includes(x)))
  .map((s) => ({ ...s, data: examples(s.rows, DEFAULT_CLUSTER_PARAMS) }));
for (const held of sets) {
  const rest = sets.filter((s) => s !== held);
  const p = chooseThreshold(toParams(train(rest.flatMap((s) => s.data))), rest);
  const f1 = evaluate(held.rows, p).scores.b3.f1;
  process.stdout.write(`without ${held.name}: ${fmt(p)}\n  → held out ${held.name}: B3 F1 ${f1.toFixed(3)}\n`);
}
const all = chooseThreshold(toParams(train(sets.flatMap((s) => s.data))), sets);
process.stdout.write(`trained on all: ${fmt(all)}\n`);
for (const s of sets) process.stdout.write(`  ${s.name} B3 F1 ${evaluate(s.rows, all).scores.b3.f1.toFixed(3)}\n`);
