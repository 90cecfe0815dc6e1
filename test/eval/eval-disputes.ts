/**
 * `npm run eval:disputes [-- --verbose] [-- DIR]`: the dispute finder on the own-written labelled
 * events in test/fixtures/briefs (or DIR, e.g. test/fixtures/briefs-holdout). Prints, over all events:
 *  - point precision: printed points that are correct (both sides, their claims and citations right);
 *  - wrong: printed points that are disputes the sources do not have (the costliest mistake);
 *  - recall: labelled disputes found correctly;
 *  - invented: undisputed events that got a point; false agreement: disputed events briefed as "the
 *    sources agree"; garbled: side labels a reader cannot use.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { briefFixture, GARBLED_SIDE, judgePoints, loadBriefFixtures, matchPoint, re } from '../helpers/brief-fixtures.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { verbose: { type: 'boolean', short: 'v' } } });
const fixtures = loadBriefFixtures(...(positionals[0] ? [resolve(positionals[0])] : []));
let printed = 0;
let correct = 0;
let partly = 0;
let wrong = 0;
let expected = 0;
let found = 0;
let undisputed = 0;
let invented = 0;
let disputedEvents = 0;
let falseAgreement = 0;
let agreementSaid = 0;
let garbled = 0;
const out = (s: string) => process.stdout.write(`${s}\n`);

for (const { file, fx } of fixtures) {
  const brief = briefFixture(fx);
  const verdicts = judgePoints(fx, brief.disputed);
  printed += verdicts.length;
  correct += verdicts.filter((v) => v.verdict === 'correct').length;
  partly += verdicts.filter((v) => v.verdict === 'partly').length;
  wrong += verdicts.filter((v) => v.verdict === 'wrong').length;
  garbled += brief.disputed.flatMap((p) => p.sides).filter((s) => GARBLED_SIDE.test(s.by)).length;
  expected += fx.expect.disputes.length;
  const hits = fx.expect.disputes.filter((e) => verdicts.some((v) => v.matches === e && v.verdict === 'correct'));
  found += hits.length;
  if (fx.expect.disputes.length === 0) {
    undisputed++;
    if (brief.disputed.length > 0) invented++;
  } else {
    disputedEvents++;
    if (brief.noDisputeNote) falseAgreement++;
  }
  if (brief.noDisputeNote) agreementSaid++;
  const bad = verdicts.some((v) => v.verdict !== 'correct') || hits.length < fx.expect.disputes.length;
  if (values.verbose || bad) {
    out(`${bad ? '✗' : '✓'} ${file}${brief.noDisputeNote ? '  [says the sources agree]' : ''}`);
    for (const v of verdicts) {
      out(`    ${v.verdict.toUpperCase().padEnd(7)} ${v.point.kind}: ${v.point.point}`);
      for (const s of v.point.sides) out(`             ${s.by} :: ${s.claim} [${s.sources.length}]`);
    }
    for (const e of fx.expect.disputes) {
      if (hits.includes(e)) continue;
      const near = matchPoint(brief.disputed, e);
      out(`    MISSED  ${e.kind}: ${e.about}${near ? ' (a point names these sides)' : ''}`);
      for (const side of e.sides) {
        const s = near?.sides.find((x) => re(side.by).test(x.by));
        if (near && s && !re(side.claim).test(s.claim)) out(`             claim of ${side.by} should match /${side.claim}/`);
      }
    }
  }
}

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(0)}%` : '—');
out('');
out(`events ${fixtures.length} (${disputedEvents} with ${expected} disputes, ${undisputed} without)`);
out(
  `printed points ${printed}: correct ${correct} (${pct(correct, printed)}), partly ${partly} (${pct(partly, printed)}), wrong ${wrong} (${pct(wrong, printed)})`,
);
out(`point precision ${pct(correct, printed)}  recall ${pct(found, expected)} (${found}/${expected})`);
out(`invented-dispute rate ${pct(invented, undisputed)} (${invented}/${undisputed} undisputed events got a point)`);
out(
  `false agreement ${pct(falseAgreement, disputedEvents)} (${falseAgreement}/${disputedEvents} disputed events said "the sources agree"; said on ${agreementSaid} events)`,
);
out(`garbled side labels ${garbled}`);
