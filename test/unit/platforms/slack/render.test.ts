import type { types as SlackTypes } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import type { Briefing, DisputedPoint, EventBrief, SourceRef } from '../../../../src/core/types.ts';
import {
  type Block,
  renderBriefingParent,
  renderEventReply,
  renderEventUpdate,
  renderNoMatch,
  renderOnDemandParent,
  renderSources,
  type SlackMessage,
} from '../../../../src/platforms/slack/render.ts';
import { escapeSlackText } from '../../../../src/platforms/slack/text.ts';

// ------------------------------------------------------------------------------------------------
// Fixtures (invented text)

function source(i: number, outlet: string, title: string, url: string | null, publishedAt: string, independent = true): SourceRef {
  return { articleId: `a${i}`, outlet, title, url, publishedAt, independent };
}

const harbourSources: SourceRef[] = [
  source(
    1,
    'Coastal Herald',
    'Halvik harbour shut as breakwater inspected',
    'https://coastal-herald.example/halvik-shut',
    '2026-04-26T06:05:00Z',
  ),
  source(
    2,
    'Halvik Daily',
    'Port authority explains closure',
    'https://halvik-daily.example/news/port-closure?ref=rss&src=feed',
    '2026-04-26T07:40:00Z',
  ),
  source(
    3,
    'Northline News',
    'Ferry firm says closure is about money',
    'https://northline.example/2026/04/26/ferry-firm',
    '2026-04-26T08:15:00Z',
  ),
  source(
    4,
    'Harbour Wire',
    'Halvik harbour shut as breakwater inspected',
    'https://harbourwire.example/w/8812',
    '2026-04-26T08:20:00Z',
    false,
  ),
  source(5, 'Baltic Ledger', 'Nordvik Lines disputes safety claim', 'https://baltic-ledger.example/nordvik', '2026-04-26T10:02:00Z'),
  source(6, 'Ferry Times', 'Passengers stranded without notice', 'https://ferrytimes.example/stranded', '2026-04-26T12:30:00Z'),
  source(7, 'Morning Post Halvik', 'Notices were posted, authority insists', 'https://morningpost.example/notices', '2026-04-26T15:45:00Z'),
  source(8, 'Regional Wire', 'Ferry firm says closure is about money', 'https://regionalwire.example/r/55', '2026-04-26T19:30:00Z', false),
];
const url = (n: number) => harbourSources[n - 1]?.url as string;

const harbour: EventBrief = {
  id: 'ev-harbour-2026-04-26',
  title: 'Ferry operator and port authority at odds over Halvik harbour closure',
  summary: [
    'The port authority closed Halvik harbour to ferries on Sunday morning, saying the eastern breakwater had to be inspected after Friday’s storm.',
    'Nordvik Lines, which runs the island ferries, said the closure was about unpaid harbour fees. Hundreds of passengers waited at the terminal.',
  ],
  disputed: [
    {
      point: 'Why the harbour was closed',
      kind: 'claim_vs_denial',
      sides: [
        { by: 'Port authority', claim: 'the eastern breakwater was unsafe after the storm', sources: [url(1), url(2)] },
        { by: 'Nordvik Lines', claim: 'denies the breakwater was unsafe and calls the closure a fee dispute', sources: [url(3), url(5)] },
      ],
    },
    {
      point: 'How many sailings were cancelled',
      kind: 'figures_differ',
      sides: [
        { by: 'Nordvik Lines', claim: '42 sailings were cancelled', sources: [url(3)] },
        { by: 'Port authority', claim: '17 sailings were cancelled', sources: [url(1)] },
      ],
    },
    {
      point: 'Whether passengers were warned',
      kind: 'characterisation_rejected',
      sides: [
        { by: 'Passengers’ association', claim: 'travellers were given no warning', sources: [url(6)] },
        { by: 'Port authority', claim: 'rejects that, saying notices were posted two days earlier', sources: [url(2), url(7)] },
      ],
    },
  ],
  noDisputeNote: null,
  sources: harbourSources,
  articles: 8,
  independentSources: 6,
  firstPublishedAt: '2026-04-26T06:05:00Z',
  lastPublishedAt: '2026-04-26T19:30:00Z',
  relatedTo: null,
};

const museum: EventBrief = {
  id: 'ev-museum',
  title: 'Museum & library reopen after flood repairs',
  summary: ['The town museum and the library reopened on Saturday after eight months of repairs to flood damage.'],
  disputed: [],
  noDisputeNote: 'The sources agree on the reopening date and the cost of the repairs.',
  sources: [
    source(11, 'Valley Courier', 'Museum reopens', 'https://valley-courier.example/museum', '2026-04-25T09:00:00Z'),
    source(12, 'Town Crier', 'Library doors open again', 'https://towncrier.example/library', '2026-04-26T08:10:00Z'),
  ],
  articles: 2,
  independentSources: 2,
  firstPublishedAt: '2026-04-25T09:00:00Z',
  lastPublishedAt: '2026-04-26T08:10:00Z',
  relatedTo: null,
};

/** Distinct sentences of about 85 characters each: 110 of them make a summary over 9,000 characters. */
const longSentences = Array.from(
  { length: 110 },
  (_, i) => `Dock inspector ${i + 1} reported that crane ${i + 1} at berth ${(i % 7) + 1} was cleared for use after checks.`,
);
const nastyTitle = '<!channel> @here Markets & rates > forecasts, says <@U123> <!subteam^S1>';
const pathoSources: SourceRef[] = Array.from({ length: 40 }, (_, i) => {
  const n = i + 1;
  const href = n === 7 ? 'javascript:alert(document.cookie)' : n === 9 ? null : `https://wire-${n}.example/story/${n}?a=1&b=2`;
  const title = n === 12 ? 'Rates | forecasts > expectations <!everyone>' : n === 3 ? nastyTitle : `Market story number ${n}`;
  return source(
    100 + n,
    n === 5 ? 'Outlet <@U999> & Sons' : `Outlet ${n}`,
    title,
    href,
    `2026-04-26T${String(n % 24).padStart(2, '0')}:05:00Z`,
    n % 4 !== 0,
  );
});
const patho: EventBrief = {
  id: 'ev-patho',
  title: nastyTitle,
  summary: [longSentences.join(' '), 'Traders told @channel and @everyone nothing. One memo read <!here> <@U123> <#C0123|general>.'],
  disputed: [
    {
      point: 'Whether <!channel> was warned & when',
      kind: 'claim_vs_denial',
      sides: [
        {
          by: '<@U123>',
          claim: 'says @here was told first',
          sources: ['javascript:alert(document.cookie)', 'https://wire-2.example/story/2?a=1&b=2'],
        },
        {
          by: 'Desk > editors',
          claim: 'denies it <!subteam^S1>',
          sources: ['https://not-in-sources.example/x', 'https://wire-40.example/story/40?a=1&b=2'],
        },
      ],
    },
  ],
  noDisputeNote: null,
  sources: pathoSources,
  articles: 40,
  independentSources: 30,
  firstPublishedAt: '2026-04-25T22:10:00Z',
  lastPublishedAt: '2026-04-26T07:30:00Z',
  relatedTo: 'ev-older',
};

const briefing: Briefing = { generatedAt: '2026-04-26T10:00:00Z', feeds: [], events: [harbour, museum, patho] };

// ------------------------------------------------------------------------------------------------
// Checks

const ZWJ = '\u200D';

function allTexts(message: SlackMessage): string[] {
  const out = [message.text];
  for (const b of message.blocks) {
    if (b.type === 'header') out.push(b.text.text);
    if (b.type === 'section') out.push(b.text.text, ...(b.fields ?? []).map((f) => f.text));
    if (b.type === 'context') out.push(...b.elements.map((e) => e.text));
    if (b.type === 'actions') out.push(...b.elements.flatMap((e) => [e.text.text, e.value]));
  }
  return out;
}

function assertWithinSlackLimits(message: SlackMessage): void {
  expect(message.blocks.length).toBeGreaterThan(0);
  expect(message.blocks.length).toBeLessThanOrEqual(50);
  expect(message.text.trim().length).toBeGreaterThan(0);
  expect(message.text.length).toBeLessThanOrEqual(3000);
  expect(JSON.stringify(message).length).toBeLessThan(20_000); // Slack allows 40,000
  for (const b of message.blocks) {
    switch (b.type) {
      case 'header':
        expect(b.text.type).toBe('plain_text');
        expect(b.text.text.trim().length).toBeGreaterThan(0);
        expect(b.text.text.length).toBeLessThanOrEqual(150);
        break;
      case 'section':
        expect(b.text.text.trim().length).toBeGreaterThan(0);
        expect(b.text.text.length).toBeLessThanOrEqual(3000);
        expect((b.fields ?? []).length).toBeLessThanOrEqual(10);
        for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(2000);
        break;
      case 'context':
        expect(b.elements.length).toBeGreaterThan(0);
        expect(b.elements.length).toBeLessThanOrEqual(10);
        for (const e of b.elements) {
          expect(e.text.trim().length).toBeGreaterThan(0);
          expect(e.text.length).toBeLessThanOrEqual(3000);
        }
        break;
      case 'actions':
        expect(b.elements.length).toBeGreaterThan(0);
        expect(b.elements.length).toBeLessThanOrEqual(25);
        for (const e of b.elements) {
          expect(e.text.type).toBe('plain_text');
          expect(e.text.text.length).toBeLessThanOrEqual(75);
          expect(e.value.length).toBeLessThanOrEqual(2000);
          expect(e.action_id.length).toBeLessThanOrEqual(255);
        }
        break;
      case 'divider':
        break;
    }
  }
}

/** No mention, ping word or link can come from feed text: every `<…>` is an http(s) link, every ping word is broken. */
function assertInert(message: SlackMessage): void {
  for (const t of allTexts(message)) {
    expect(t).not.toMatch(/<[!@#]/);
    expect(t).not.toMatch(/@(?:here|channel|everyone)/i);
    for (const m of t.matchAll(/<([^>]*)>/g)) {
      const inner = m[1] ?? '';
      expect(inner).toMatch(/^https?:\/\/[^\s|<]+(\|[^|<]*)?$/);
    }
    expect(t).not.toMatch(/javascript:[^\s]*\|/i);
  }
}

/** The fallback is plain: no links, no bold, no raw control characters. */
function assertPlainFallback(message: SlackMessage): void {
  expect(message.text).not.toMatch(/[<>]/);
  expect(message.text).not.toMatch(/(^|\s)\*\S/);
  expect(message.text).not.toMatch(/@(?:here|channel|everyone)/i);
}

function checkAll(messages: SlackMessage[]): SlackMessage[] {
  expect(messages.length).toBeGreaterThan(0);
  for (const m of messages) {
    assertWithinSlackLimits(m);
    assertInert(m);
    assertPlainFallback(m);
  }
  return messages;
}

function sectionTexts(messages: SlackMessage[]): string[] {
  return messages.flatMap((m) => m.blocks.flatMap((b) => (b.type === 'section' ? [b.text.text] : [])));
}

function buttons(messages: SlackMessage[]) {
  return messages.flatMap((m, i) => m.blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => ({ message: i, e })) : [])));
}

// ------------------------------------------------------------------------------------------------

describe('platforms/slack/render', () => {
  it('produces blocks assignable to @slack/types KnownBlock', () => {
    const blocks: SlackTypes.KnownBlock[] = renderEventReply(harbour, 1, { sourcesButton: true })[0]?.blocks ?? [];
    const mine: Block[] = blocks as Block[];
    expect(mine.length).toBeGreaterThan(0);
  });

  describe('renderBriefingParent', () => {
    it('has the dated header, the counts and the numbered headlines, no per-event detail', () => {
      const messages = checkAll(renderBriefingParent(briefing, { now: new Date('2026-04-26T10:00:00Z'), timezone: 'Europe/London' }));
      expect(messages).toHaveLength(1);
      const [m] = messages;
      expect(m?.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'News brief · Sun 26 Apr', emoji: true } });
      expect(m?.blocks[1]).toMatchObject({ type: 'context', elements: [{ type: 'mrkdwn', text: '3 events · 50 sources' }] });
      const text = sectionTexts(messages).join('\n');
      expect(text).toContain('1. Ferry operator and port authority at odds over Halvik harbour closure — 8 sources');
      expect(text).toContain('2. Museum &amp; library reopen after flood repairs — 2 sources');
      expect(text).toContain(`3. ${escapeSlackText(nastyTitle)} — 40 sources`);
      expect(text).not.toContain('breakwater was unsafe');
      expect(m?.text).toBe('News brief · Sun 26 Apr: 3 events · 50 sources');
    });

    it('dates the header in the given time zone, and takes a custom heading', () => {
      const late = new Date('2026-04-26T23:30:00Z');
      const tokyo = renderBriefingParent(briefing, { now: late, timezone: 'Asia/Tokyo' });
      expect(tokyo[0]?.blocks[0]).toMatchObject({ text: { text: 'News brief · Mon 27 Apr' } });
      const bad = renderBriefingParent(briefing, { now: late, timezone: 'Not/AZone' });
      expect(bad[0]?.blocks[0]).toMatchObject({ text: { text: 'News brief · Sun 26 Apr' } });
      const custom = checkAll(renderBriefingParent(briefing, { now: late, timezone: 'UTC', heading: `Evening desk ${'x'.repeat(300)}` }));
      const h = custom[0]?.blocks[0];
      expect(h?.type === 'header' && h.text.text.length <= 150 && h.text.text.startsWith('Evening desk')).toBe(true);
    });

    it('says so when there are no events', () => {
      const messages = checkAll(
        renderBriefingParent({ ...briefing, events: [] }, { now: new Date('2026-04-26T10:00:00Z'), timezone: 'UTC' }),
      );
      expect(sectionTexts(messages)).toEqual(['No new events.']);
      expect(messages[0]?.text).toBe('News brief · Sun 26 Apr: 0 events · 0 sources');
    });

    it('splits many events across messages, numbering on and nothing lost', () => {
      const many: EventBrief[] = Array.from({ length: 300 }, (_, i) => ({
        ...harbour,
        id: `ev-${i}`,
        title: `Event ${i + 1}: ${'a fairly long headline about harbours and ferries '.repeat(4).trim()}`,
      }));
      const messages = checkAll(
        renderBriefingParent({ ...briefing, events: many }, { now: new Date('2026-04-26T10:00:00Z'), timezone: 'UTC' }),
      );
      expect(messages.length).toBeGreaterThan(1);
      expect(messages[0]?.blocks[0]?.type).toBe('header');
      for (const m of messages.slice(1)) {
        expect(m.blocks[0]).toMatchObject({ type: 'context' });
        expect(m.text).toContain('(continued)');
      }
      const lines = sectionTexts(messages).flatMap((t) => t.split('\n'));
      expect(lines).toHaveLength(300);
      lines.forEach((line, i) => {
        expect(line.startsWith(`${i + 1}. Event ${i + 1}: `)).toBe(true);
      });
    });
  });

  describe('renderEventReply', () => {
    it('renders the title, summary, disputed points, counts and Sources button', () => {
      const messages = checkAll(renderEventReply(harbour, 1, { sourcesButton: true }));
      expect(messages).toHaveLength(1);
      const texts = sectionTexts(messages);
      expect(texts[0]).toBe('*1. Ferry operator and port authority at odds over Halvik harbour closure*');
      expect(texts[1]).toContain('Hundreds of passengers waited at the terminal.');
      const disputed = texts.find((t) => t.startsWith("*What's disputed*")) ?? '';
      expect(disputed).toContain('• Why the harbour was closed');
      expect(disputed).toContain('• How many sailings were cancelled');
      expect(disputed).toContain('• Whether passengers were warned');
      const ctx = messages[0]?.blocks.find((b) => b.type === 'context');
      expect(ctx).toMatchObject({ elements: [{ text: '8 articles · 6 independent sources · 06:05–19:30 UTC' }] });
      expect(messages[0]?.text).toBe('1. Ferry operator and port authority at odds over Halvik harbour closure — 8 sources');
    });

    it('links each disputed side to the right numbered sources', () => {
      const disputed = sectionTexts(renderEventReply(harbour, 1, { sourcesButton: false })).join('\n');
      const link = (n: number) => `<${url(n).replace(/&/g, '&amp;')}|[${n}]>`;
      expect(disputed).toContain(`◦ *Port authority*: the eastern breakwater was unsafe after the storm ${link(1)}${link(2)}`);
      expect(disputed).toContain(
        `◦ *Nordvik Lines*: denies the breakwater was unsafe and calls the closure a fee dispute ${link(3)}${link(5)}`,
      );
      expect(disputed).toContain(`◦ *Nordvik Lines*: 42 sailings were cancelled ${link(3)}`);
      expect(disputed).toContain(`◦ *Passengers’ association*: travellers were given no warning ${link(6)}`);
      expect(disputed).toContain(`◦ *Port authority*: rejects that, saying notices were posted two days earlier ${link(2)}${link(7)}`);
      // every [n] link points at source n
      for (const m of disputed.matchAll(/<([^|>]+)\|\[(\d+)\]>/g)) {
        expect(m[1]?.replace(/&amp;/g, '&')).toBe(harbourSources[Number(m[2]) - 1]?.url);
      }
    });

    it('puts the Sources button, carrying the event id, last', () => {
      const withButton = buttons(renderEventReply(harbour, 2, { sourcesButton: true }));
      expect(withButton).toHaveLength(1);
      expect(withButton[0]?.e).toEqual({
        type: 'button',
        text: { type: 'plain_text', text: 'Sources', emoji: true },
        action_id: 'briefbot_sources',
        value: 'ev-harbour-2026-04-26',
      });
      expect(buttons(renderEventReply(harbour, 2, { sourcesButton: false }))).toHaveLength(0);
    });

    it('shows the no-dispute note when the sources agree, and the span across days', () => {
      const messages = checkAll(renderEventReply(museum, 2, { sourcesButton: true }));
      const texts = sectionTexts(messages);
      expect(texts[0]).toBe('*2. Museum &amp; library reopen after flood repairs*');
      expect(texts).toContain("*What's disputed:* The sources agree on the reopening date and the cost of the repairs.");
      expect(messages[0]?.blocks.find((b) => b.type === 'context')).toMatchObject({
        elements: [{ text: '2 articles · 2 independent sources · 25 Apr 09:00 – 26 Apr 08:10 UTC' }],
      });
    });

    it('splits a 9,000-character summary into several messages at sentence boundaries, button in the last', () => {
      const messages = checkAll(renderEventReply(patho, 3, { sourcesButton: true }));
      expect(messages.length).toBeGreaterThan(1);
      const texts = sectionTexts(messages);
      for (const s of longSentences) expect(texts.filter((t) => t.includes(s))).toHaveLength(1);
      // nothing of the summary is lost or reordered
      const summaryTexts = texts.slice(
        1,
        texts.findIndex((t) => t.startsWith("*What's disputed*")),
      );
      expect(patho.summary[0]?.length).toBeGreaterThanOrEqual(9000);
      expect(summaryTexts.length).toBeGreaterThanOrEqual(3);
      expect(summaryTexts.join(' ').replace(/\s+/g, ' ')).toBe(patho.summary.map(escapeSlackText).join(' '));
      for (const t of summaryTexts.slice(0, -1)) expect(t).toMatch(/\.$/);
      const b = buttons(messages);
      expect(b).toHaveLength(1);
      expect(b[0]?.message).toBe(messages.length - 1);
      expect(b[0]?.e.value).toBe('ev-patho');
      const last = messages.at(-1)?.blocks ?? [];
      expect(last.at(-1)?.type).toBe('actions');
      for (const m of messages.slice(1)) expect(m.blocks[0]).toMatchObject({ type: 'context' });
    });

    it('renders nothing live from hostile feed text', () => {
      const messages = checkAll(renderEventReply(patho, 3, { sourcesButton: true }));
      const all = messages.flatMap(allTexts).join('\n');
      expect(all).toContain('&lt;!channel&gt;');
      expect(all).toContain('&lt;@U123&gt;');
      expect(all).toContain('&lt;!subteam^S1&gt;');
      expect(all).toContain('&lt;#C0123|general&gt;');
      expect(all).toContain(`@${ZWJ}here`);
      expect(all).toContain('Markets &amp; rates &gt; forecasts');
      expect(all).not.toContain('javascript:');
      const disputed = sectionTexts(messages).find((t) => t.startsWith("*What's disputed*")) ?? '';
      // the javascript: source keeps its number but is no link; an unknown url is an unnumbered link
      expect(disputed).toContain('◦ *&lt;@U123&gt;*: says @\u200Dhere was told first [7]<https://wire-2.example/story/2?a=1&amp;b=2|[2]>');
      expect(disputed).toContain('<https://not-in-sources.example/x|[link]><https://wire-40.example/story/40?a=1&amp;b=2|[40]>');
    });

    it('matches the snapshot for one event', () => {
      expect(renderEventReply(harbour, 1, { sourcesButton: true })).toMatchSnapshot();
    });
  });

  describe('renderEventUpdate', () => {
    it('announces the new sources as numbered links and renders new points', () => {
      const newPoint = harbour.disputed[1] as DisputedPoint;
      const messages = checkAll(
        renderEventUpdate(harbour, {
          newSources: [harbourSources[5], harbourSources[6], harbourSources[7]] as SourceRef[],
          newPoints: [newPoint],
        }),
      );
      const texts = sectionTexts(messages);
      expect(texts[0]).toBe(
        '*Update: 3 new sources · 1 new disputed point* — Ferry operator and port authority at odds over Halvik harbour closure',
      );
      const list = texts[1] ?? '';
      expect(list).toContain(
        '[6] Ferry Times — <https://ferrytimes.example/stranded|Passengers stranded without notice> · 26 Apr 12:30 UTC',
      );
      expect(list).toContain(
        '[8] Regional Wire — <https://regionalwire.example/r/55|Ferry firm says closure is about money> · 26 Apr 19:30 UTC · _copy of another source_',
      );
      expect(texts[2]).toContain('*Newly disputed*\n• How many sailings were cancelled');
      expect(texts[2]).toContain(`<${url(1)}|[1]>`);
      expect(messages[0]?.text).toBe(
        'Update: 3 new sources · 1 new disputed point — Ferry operator and port authority at odds over Halvik harbour closure',
      );
    });

    it('stays inert and within limits for a hostile event', () => {
      const messages = checkAll(renderEventUpdate(patho, { newSources: pathoSources, newPoints: patho.disputed }));
      expect(sectionTexts(messages).join('\n')).toContain('[7] Outlet 7 — Market story number 7');
    });
  });

  describe('renderSources', () => {
    it('lists one event’s sources numbered, with outlet, link, time and copies marked', () => {
      const messages = checkAll(renderSources([harbour]));
      expect(messages).toHaveLength(1);
      const texts = sectionTexts(messages);
      expect(texts[0]).toBe('*Sources · Ferry operator and port authority at odds over Halvik harbour closure*');
      const lines = texts.slice(1).join('\n').split('\n');
      expect(lines).toHaveLength(8);
      expect(lines[0]).toBe(
        '[1] Coastal Herald — <https://coastal-herald.example/halvik-shut|Halvik harbour shut as breakwater inspected> · 26 Apr 06:05 UTC',
      );
      expect(lines[1]).toContain('<https://halvik-daily.example/news/port-closure?ref=rss&amp;src=feed|Port authority explains closure>');
      expect(lines[3]).toMatch(/^\[4\] Harbour Wire — .* · _copy of another source_$/);
      expect(lines.filter((l) => l.includes('copy of another source'))).toHaveLength(2);
      expect(messages[0]?.blocks.at(-1)).toMatchObject({ type: 'context', elements: [{ text: '8 sources' }] });
    });

    it('paginates long lists and escapes every line', () => {
      const page1 = checkAll(renderSources([patho], { page: 1, pageSize: 15 }));
      const page3 = checkAll(renderSources([patho], { page: 3, pageSize: 15 }));
      const lines = (ms: SlackMessage[]) =>
        sectionTexts(ms)
          .slice(1)
          .flatMap((t) => t.split('\n'));
      expect(lines(page1).map((l) => l.match(/^\[(\d+)\]/)?.[1])).toEqual(Array.from({ length: 15 }, (_, i) => String(i + 1)));
      expect(lines(page3).map((l) => l.match(/^\[(\d+)\]/)?.[1])).toEqual(Array.from({ length: 10 }, (_, i) => String(i + 31)));
      expect(page1[0]?.blocks.at(-1)).toMatchObject({ elements: [{ text: '40 sources · page 1 of 3' }] });
      expect(page3[0]?.text).toContain('(page 3 of 3)');
      const l = lines(page1);
      expect(l[2]).toContain(`[3] Outlet 3 — <https://wire-3.example/story/3?a=1&amp;b=2|${escapeSlackText(nastyTitle)}>`);
      expect(l[4]).toContain('Outlet &lt;@U999&gt; &amp; Sons');
      expect(l[6]).toMatch(/^\[7\] Outlet 7 — Market story number 7 · /);
      expect(l[8]).toMatch(/^\[9\] Outlet 9 — Market story number 9 · /);
      expect(l[11]).toContain('|Rates ∣ forecasts &gt; expectations &lt;!everyone&gt;>');
      // out of range pages are clamped
      expect(lines(renderSources([patho], { page: 99, pageSize: 15 }))).toEqual(lines(page3));
    });

    it('groups several events under their titles, each numbered from 1', () => {
      const messages = checkAll(renderSources([museum, harbour], { pageSize: 40 }));
      const text = sectionTexts(messages).join('\n');
      expect(text).toContain('*1.* *Museum &amp; library reopen after flood repairs*\n[1] Valley Courier');
      expect(text).toContain('*2.* *Ferry operator and port authority at odds over Halvik harbour closure*\n[1] Coastal Herald');
      expect(messages[0]?.text).toBe('Sources for 2 events');
    });

    it('handles an event without sources', () => {
      const messages = checkAll(renderSources([{ ...museum, sources: [] }]));
      expect(sectionTexts(messages)).toContain('No sources.');
    });
  });

  describe('renderNoMatch', () => {
    it('says nothing matched the escaped topic and lists the latest events', () => {
      const latest = [
        { id: 'ev-harbour', title: harbour.title, lastPublishedAt: harbour.lastPublishedAt, articles: 8 },
        { id: 'ev-patho', title: nastyTitle, lastPublishedAt: patho.lastPublishedAt, articles: 40 },
      ];
      const messages = checkAll(renderNoMatch('<!here> kursk & @everyone', latest));
      const texts = sectionTexts(messages);
      expect(texts[0]).toBe(`Nothing in the recent news matched “&lt;!here&gt; kursk &amp; @${ZWJ}everyone”. The latest events:`);
      expect(texts[1]).toContain(`• ${harbour.title} — 8 articles · latest 26 Apr 19:30 UTC`);
      expect(texts[1]).toContain(`• ${escapeSlackText(nastyTitle)} — 40 articles`);
      expect(messages[0]?.text).toBe(`Nothing in the recent news matched “&lt;!here&gt; kursk &amp; @${ZWJ}everyone”.`);
    });

    it('copes with no events at all and a very long topic', () => {
      const messages = checkAll(renderNoMatch('x '.repeat(2000), []));
      expect(sectionTexts(messages)[0]).toMatch(/There are no events yet/);
    });
  });

  describe('renderOnDemandParent', () => {
    it('heads an on-demand brief with the topic and the headlines', () => {
      const messages = checkAll(renderOnDemandParent('kursk', { ...briefing, events: [harbour, museum] }));
      const texts = sectionTexts(messages);
      expect(texts[0]).toBe('*Brief on “kursk”: 2 events*');
      expect(texts[1]).toBe(
        '1. Ferry operator and port authority at odds over Halvik harbour closure — 8 sources\n2. Museum &amp; library reopen after flood repairs — 2 sources',
      );
      expect(messages[0]?.text).toBe('Brief on “kursk”: 2 events');
    });

    it('escapes a hostile topic', () => {
      const messages = checkAll(renderOnDemandParent('<!channel> @here', { ...briefing, events: [patho] }));
      expect(sectionTexts(messages)[0]).toBe(`*Brief on “&lt;!channel&gt; @${ZWJ}here”: 1 event*`);
    });
  });
});
