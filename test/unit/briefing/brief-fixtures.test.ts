/**
 * The brief of each own-written labelled event in test/fixtures/briefs: what must hold for every
 * event (only its own articles cited, no page chrome or other stories, no side a reader cannot use,
 * a short attributed summary that says what happened), and — over all events, as `npm run
 * eval:disputes` prints them — how right the disputed points are: most printed points correct, few
 * wrong, most real disputes found, almost no dispute invented where the sources agree, and never
 * "the sources agree" where they do not.
 */
import { describe, expect, it } from 'vitest';
import { briefFixture, GARBLED_SIDE, judgePoints, loadBriefFixtures, re, sideText } from '../../helpers/brief-fixtures.ts';

const fixtures = loadBriefFixtures().map(({ file, fx }) => ({ file, fx, b: briefFixture(fx) }));

describe('briefing: disputes, summaries and cleanliness on own-written events', () => {
  for (const { file, fx, b } of fixtures) {
    describe(`${file} — ${fx.description}`, () => {
      it('cites only the event’s own articles, at most four points', () => {
        const urls = new Set(b.sources.map((s) => s.url));
        for (const p of b.disputed) for (const s of p.sides) for (const u of s.sources) expect(urls.has(u)).toBe(true);
        expect(b.disputed.length).toBeLessThanOrEqual(4);
      });

      it('names every side so a reader can tell who holds it', () => {
        for (const p of b.disputed) for (const s of p.sides) expect(s.by).not.toMatch(GARBLED_SIDE);
      });

      if (fx.expect.disputes.length > 0) {
        it('never says the sources agree when they do not', () => {
          expect(b.noDisputeNote).toBeNull();
        });
      }

      if (fx.expect.mustNotBeDisputed?.length) {
        it('does not dispute figures that only differ in time, subject or form', () => {
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
        it('keeps page chrome, captions and other stories out of the brief', () => {
          const all = `${b.title} ${b.summary.join(' ')} ${b.disputed.map(sideText).join(' ')}`;
          for (const pattern of fx.expect.mustNotAppear) expect(all).not.toMatch(re(pattern));
        });
      }
    });
  }

  describe('over all labelled events', () => {
    const verdicts = fixtures.flatMap(({ fx, b }) => judgePoints(fx, b.disputed));
    const printed = verdicts.length;
    const correct = verdicts.filter((v) => v.verdict === 'correct').length;
    const wrong = verdicts.filter((v) => v.verdict === 'wrong').length;
    const expected = fixtures.flatMap(({ fx }) => fx.expect.disputes);
    const found = fixtures.flatMap(({ fx, b }) =>
      fx.expect.disputes.filter((e) => judgePoints(fx, b.disputed).some((v) => v.matches === e && v.verdict === 'correct')),
    );
    const undisputed = fixtures.filter(({ fx }) => fx.expect.disputes.length === 0);

    it('has at least forty events of many kinds', () => {
      expect(fixtures.length).toBeGreaterThanOrEqual(40);
      expect(undisputed.length).toBeGreaterThanOrEqual(10);
      expect(new Set(expected.map((e) => e.kind)).size).toBeGreaterThanOrEqual(4);
    });

    it('prints mostly correct points and few wrong ones (precision first)', () => {
      expect(correct / printed).toBeGreaterThanOrEqual(0.7);
      expect(wrong / printed).toBeLessThanOrEqual(0.1);
    });

    it('finds most real disputes', () => {
      expect(found.length / expected.length).toBeGreaterThanOrEqual(0.7);
    });

    it('almost never invents a dispute where the sources agree', () => {
      const invented = undisputed.filter(({ b }) => b.disputed.length > 0).length;
      expect(invented / undisputed.length).toBeLessThanOrEqual(0.1);
    });
  });
});
