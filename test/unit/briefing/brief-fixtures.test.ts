/**
 * The brief of each own-written event in test/fixtures/briefs: the disputed points it must find
 * (who vs whom, what each side says, which articles carry it), the ones it must not invent, what the
 * summary must say, and what must never appear. Articles go through the same cleaning as ingestion.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeEventBrief } from '../../../src/briefing/compose-briefing.ts';
import type { Article, DisputedPoint, EventBrief } from '../../../src/core/types.ts';
import { findDisputes } from '../../../src/disputes/find-disputes.ts';
import { cleanParagraphs } from '../../../src/extract/clean-text.ts';
import { summarizeExtractive } from '../../../src/summarize/extractive.ts';

interface ExpectedSide {
  by: string;
  claim: string;
  sources: string[];
}
interface Fixture {
  kind: string;
  description: string;
  articles: Array<{ id: string; outlet: string; title: string; url: string; publishedAt: string; text: string }>;
  expect: {
    disputes: Array<{ about: string; kind: string; sides: ExpectedSide[] }>;
    noDispute: boolean;
    summaryMustMention: string[];
    mustNotAppear: string[];
    mustNotBeDisputed?: string[];
  };
}

const dir = join(import.meta.dirname, '../../fixtures/briefs');
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ file: f, fx: JSON.parse(readFileSync(join(dir, f), 'utf8')) as Fixture }));

function brief(fx: Fixture): EventBrief {
  const articles: Article[] = fx.articles.map((a) => ({
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
  const disputed = findDisputes(
    articles.map((a) => ({ id: a.id, url: a.url, outlet: a.outlet, publishedAt: a.publishedAt, title: a.title, text: a.text })),
  );
  const summary = summarizeExtractive({ articles: articles.map((a) => ({ ...a, independent: true })), disputed });
  return composeEventBrief({ id: 'e', title: fx.articles[0]?.title ?? '', articles, summary, disputed });
}

const re = (s: string) => new RegExp(s, 'i');
const sideText = (p: DisputedPoint) => `${p.point} ${p.sides.map((s) => `${s.by} ${s.claim}`).join(' ')}`;

/** The found point matching an expected one: each expected side matched by a different found side. */
function matchPoint(found: DisputedPoint[], expected: Fixture['expect']['disputes'][number]) {
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

describe('briefing: disputes, summaries and cleanliness on own-written events', () => {
  for (const { file, fx } of fixtures) {
    describe(`${file} — ${fx.description}`, () => {
      const b = brief(fx);
      const urlOf = new Map(fx.articles.map((a) => [a.id, a.url]));

      if (fx.expect.noDispute) {
        it('invents no dispute where the sources agree, and says so', () => {
          expect(b.disputed, JSON.stringify(b.disputed, null, 1)).toEqual([]);
          if (fx.articles.length > 1) expect(b.noDisputeNote).toMatch(/agree/);
        });
      }

      for (const expected of fx.expect.disputes) {
        it(`finds the disputed point: ${expected.about}`, () => {
          const point = matchPoint(b.disputed, expected);
          expect(point, `found: ${b.disputed.map(sideText).join(' | ')}`).toBeDefined();
          if (!point) return;
          for (const side of expected.sides) {
            const found = point.sides.find((s) => re(side.by).test(s.by));
            expect(found?.claim, `side ${side.by}`).toMatch(re(side.claim));
            const allowed = new Set(side.sources.map((id) => urlOf.get(id)));
            expect(found?.sources.length).toBeGreaterThan(0);
            for (const url of found?.sources ?? []) expect(allowed.has(url), `${side.by} cites ${url}`).toBe(true);
          }
        });
      }

      if (fx.expect.mustNotBeDisputed?.length) {
        it('does not dispute figures that only differ in time or subject', () => {
          for (const pattern of fx.expect.mustNotBeDisputed ?? []) {
            for (const p of b.disputed) expect(`${p.point} ${p.sides.map((s) => s.claim).join(' ')}`).not.toMatch(re(pattern));
          }
        });
      }

      it('writes a short, attributed summary that says what happened', () => {
        const text = b.summary.join(' ');
        expect(b.summary.length).toBeGreaterThanOrEqual(Math.min(2, fx.articles.length));
        expect(b.summary.length).toBeLessThanOrEqual(5);
        expect(text.split(/\s+/).length).toBeLessThanOrEqual(130);
        for (const pattern of fx.expect.summaryMustMention) expect(text).toMatch(re(pattern));
        for (const s of b.summary)
          expect(s, 'a summary sentence needs no context').not.toMatch(/^(It|He|She|They|This|That|However|But)\b/);
      });

      if (fx.expect.mustNotAppear.length) {
        it('keeps page chrome and other stories out of the brief', () => {
          const all = `${b.title} ${b.summary.join(' ')} ${b.disputed.map(sideText).join(' ')}`;
          for (const pattern of fx.expect.mustNotAppear) expect(all).not.toMatch(re(pattern));
        });
      }

      it('cites only the event’s own articles', () => {
        const urls = new Set(b.sources.map((s) => s.url));
        for (const p of b.disputed) for (const s of p.sides) for (const u of s.sources) expect(urls.has(u)).toBe(true);
        expect(b.disputed.length).toBeLessThanOrEqual(4);
      });
    });
  }
});
