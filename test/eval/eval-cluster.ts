/**
 * `npm run eval:cluster [-- FILE.jsonl ...] [--param name=value ...] [--errors]`
 * Runs the clusterer over labelled streams ({id,title,text,outlet,publishedAt,label} per line) in
 * publication order, as the bot would see them, and prints B-cubed and pairwise precision/recall/F1.
 * Default sets: test/fixtures/cluster/*.jsonl, plus ../shared/data/*.jsonl when that folder exists.
 */
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultSets, evaluate, parseParams, readRows } from './cluster-eval-lib.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { param: { type: 'string', multiple: true }, errors: { type: 'boolean' }, quiet: { type: 'boolean' } },
});

const sets = positionals.length ? positionals.map((f) => ({ name: basename(f), rows: readRows(f) })) : defaultSets({ dense: true });

const params = parseParams(values.param);
const pct = (x: number) => x.toFixed(3);
for (const { name, rows } of sets) {
  const { scores, ms, pred, gold } = evaluate(rows, params);
  process.stdout.write(
    `${name.padEnd(32)} n=${String(rows.length).padStart(5)}  B3 P=${pct(scores.b3.p)} R=${pct(scores.b3.r)} F1=${pct(scores.b3.f1)}  ` +
      `pair P=${pct(scores.pair.p)} R=${pct(scores.pair.r)} F1=${pct(scores.pair.f1)}  events=${scores.predicted} gold=${scores.gold}  ${ms.toFixed(0)} ms\n`,
  );
  if (values.errors) {
    const byTitle = new Map(rows.map((r) => [r.id, `${r.label.padEnd(14)} ${r.title}`]));
    const groups = new Map<string, string[]>();
    for (const [id, e] of pred) groups.set(e, [...(groups.get(e) ?? []), id]);
    for (const ids of groups.values()) {
      const labels = new Set(ids.map((id) => gold.get(id)));
      if (labels.size > 1) process.stdout.write(`  MERGED: ${ids.map((id) => `\n    ${byTitle.get(id)}`).join('')}\n`);
    }
    const byLabel = new Map<string, Set<string>>();
    for (const [id, g] of gold) byLabel.set(g, new Set([...(byLabel.get(g) ?? []), pred.get(id) ?? id]));
    for (const [g, es] of byLabel) {
      if (es.size <= 1) continue;
      process.stdout.write(`  SPLIT ${g} into ${es.size} events:\n`);
      for (const e of es) {
        const members = (groups.get(e) ?? [e]).filter((id) => gold.get(id) === g);
        process.stdout.write(
          `    [${members.length}] ${members
            .slice(0, 3)
            .map((id) => byTitle.get(id)?.slice(15, 85))
            .join(' | ')}\n`,
        );
      }
    }
  }
}
