/**
 * The own-written labelled events in test/fixtures/briefs (format in its README): loading, briefing
 * them as the pipeline does, and matching a brief's disputed points against the labels. Shared by the
 * fixture tests and `npm run eval:disputes`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeEventBrief } from '../../src/briefing/compose-briefing.ts';
import type { Article, DisputedPoint, EventBrief } from '../../src/core/types.ts';
import { assessDisputes } from '../../src/disputes/find-disputes.ts';
import { cleanParagraphs } from '../../src/extract/clean-text.ts';
import { summarizeExtractive } from '../../src/summarize/extractive.ts';

export interface ExpectedSide {
  by: string;
  claim: string;
  sources: string[];
}

export interface ExpectedDispute {
  about: string;
  kind: string;
  sides: ExpectedSide[];
}

export interface BriefFixture {
  kind: string;
  description: string;
  articles: Array<{ id: string; outlet: string; title: string; url: string; publishedAt: string; text: string }>;
  expect: {
    disputes: ExpectedDispute[];
    noDispute: boolean;
    summaryMustMention: string[];
    mustNotAppear: string[];
    mustNotBeDisputed?: string[];
  };
}

const fixturesDir = join(import.meta.dirname, '../fixtures/briefs');

/** The labelled events of a folder (default test/fixtures/briefs). */
export function loadBriefFixtures(dir = fixturesDir): Array<{ file: string; fx: BriefFixture }> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: f, fx: JSON.parse(readFileSync(join(dir, f), 'utf8')) as BriefFixture }));
}

/** The fixture's articles as stored articles, cleaned as ingestion cleans them. */
export function fixtureArticles(fx: BriefFixture): Article[] {
  return fx.articles.map((a) => ({
    id: a.id,
    feedUrl: 'https://example.org/feed',
    guid: a.id,
    url: a.url,
    title: a.title,
    outlet: a.outlet,
    author: null,
    publishedAt: a.publishedAt,
    firstSeenAt: a.publishedAt,
    updatedAt: a.publishedAt,
    summary: '',
    text: cleanParagraphs(a.text.split(/\n+/), { title: a.title }).join('\n\n'),
    textSource: 'feed',
    contentHash: a.id,
    eventId: 'e',
  }));
}

/** The brief the pipeline writes for the fixture (offline: extractive summary, rule-based disputes). */
export function briefFixture(fx: BriefFixture): EventBrief {
  const articles = fixtureArticles(fx);
  const assessment = assessDisputes(
    articles.map((a) => ({ id: a.id, url: a.url, outlet: a.outlet, publishedAt: a.publishedAt, title: a.title, text: a.text })),
  );
  const disputed = assessment.points;
  const summary = summarizeExtractive({ articles: articles.map((a) => ({ ...a, independent: true })), disputed });
  return composeEventBrief({
    id: 'e',
    title: fx.articles[0]?.title ?? '',
    articles,
    summary,
    disputed,
    sourcesAgree: assessment.sourcesAgree,
  });
}

export const re = (s: string) => new RegExp(s, 'i');
export const sideText = (p: DisputedPoint) => `${p.point} ${p.sides.map((s) => `${s.by} ${s.claim}`).join(' ')}`;

/** The found point matching an expected one: each expected side matched by a different found side. */
export function matchPoint(found: readonly DisputedPoint[], expected: ExpectedDispute): DisputedPoint | undefined {
  const candidates = found.filter((p) => expected.sides.every((side) => p.sides.some((s) => re(side.by).test(s.by))));
  // Several points can oppose the same two sides: take the one of the expected kind whose claims fit.
  const fits = (p: DisputedPoint) =>
    expected.sides.every((side) => p.sides.some((s) => re(side.by).test(s.by) && re(side.claim).test(s.claim)));
  return (
    candidates.find((p) => p.kind === expected.kind && fits(p)) ??
    candidates.find(fits) ??
    candidates.find((p) => p.kind === expected.kind) ??
    candidates[0]
  );
}

export type PointVerdict = 'correct' | 'partly' | 'wrong';

/**
 * How a printed point reads against the labels: correct (both sides named and stated as labelled,
 * each citing only articles that carry it), partly (the right two sides, but a claim or a citation
 * off, or the same dispute said twice), wrong (a dispute the sources do not have).
 */
export function judgePoints(
  fx: BriefFixture,
  points: readonly DisputedPoint[],
): Array<{ point: DisputedPoint; verdict: PointVerdict; matches?: ExpectedDispute }> {
  const urlOf = new Map(fx.articles.map((a) => [a.id, a.url]));
  const used = new Set<ExpectedDispute>();
  const banned = (fx.expect.mustNotBeDisputed ?? []).map(re);
  return points.map((point) => {
    const text = `${point.point} ${point.sides.map((s) => s.claim).join(' ')}`;
    if (banned.some((b) => b.test(text))) return { point, verdict: 'wrong' as const };
    const readings = fx.expect.disputes.flatMap((expected) => {
      const sidesFound = expected.sides.map((side) => point.sides.find((s) => re(side.by).test(s.by)));
      if (sidesFound.some((s) => !s) || new Set(sidesFound).size < expected.sides.length) return [];
      const claimsOk = expected.sides.every((side, i) => re(side.claim).test(sidesFound[i]?.claim ?? ''));
      const citesOk = expected.sides.every((side, i) => {
        const allowed = new Set(side.sources.map((id) => urlOf.get(id)));
        const cited = sidesFound[i]?.sources ?? [];
        return cited.length > 0 && cited.every((u) => allowed.has(u));
      });
      const rank = Number(claimsOk) * 4 + Number(point.kind === expected.kind) * 2 + Number(citesOk) - Number(used.has(expected)) * 8;
      return [{ expected, ok: claimsOk && citesOk, rank }];
    });
    const best = readings.sort((a, b) => b.rank - a.rank)[0];
    if (!best) return { point, verdict: 'wrong' as const };
    const repeat = used.has(best.expected);
    used.add(best.expected);
    return { point, verdict: best.ok && !repeat ? ('correct' as const) : ('partly' as const), matches: best.expected };
  });
}

/**
 * Side labels no reader can use: a weekday, a filler word, a pronoun, a dangling dash. Kept apart from
 * the finder's own rule on purpose, so the measure does not grade the finder by its own filter.
 */
export const GARBLED_SIDE =
  /^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|and|but|or|if|when|as|after|before|while|although|though|because|since|despite|however|meanwhile|also|then|so|yet|still|its|his|her|their|our|my|your|this|that|these|those|it|he|she|they|we|two|three|four|several|some|many|pictured|photo|read)\b|^(?:western|eastern)\s*(?:\(|$)|\(\s*-|,\s*-\)|\(\s*\)|^-|^\W*$/i;
