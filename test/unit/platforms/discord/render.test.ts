/**
 * Discord rendering of briefs: every payload within Discord's limits, never a live mention or a
 * masked link from feed text, splitting only at sentence / line boundaries. Fixtures are invented
 * (fictional places and outlets, `.example` URLs).
 */
import { describe, expect, it } from 'vitest';
import type { Briefing, DisputedPoint, EventBrief, SourceRef } from '../../../../src/core/types.ts';
import {
  type DiscordMessage,
  embedTextLength,
  renderBriefingParent,
  renderEventMessage,
  renderEventUpdate,
  renderNoMatch,
  renderOnDemandParent,
  renderSources,
  sourcePageCount,
  threadName,
} from '../../../../src/platforms/discord/render.ts';
import { escapeDiscordText, safeHttpUrl, ZWSP } from '../../../../src/platforms/discord/text.ts';

// ————————————————————————————————————————————————— fixtures

function source(i: number, outlet: string, title: string, publishedAt: string, url: string | null, independent = true): SourceRef {
  return { articleId: `a${i}`, outlet, title, url, publishedAt, independent };
}

const veltraSources: SourceRef[] = [
  source(
    1,
    'Northline Post',
    'Army says Veltra is under its full control',
    '2027-04-26T06:10:00Z',
    'https://northline.example/veltra-control',
  ),
  source(2, 'Harbour Wire', 'Army claims capture of Veltra', '2027-04-26T06:40:00Z', 'https://wire.example/2027/04/26/veltra'),
  source(3, 'Lerrin Daily', 'Army claims capture of Veltra', '2027-04-26T07:05:00Z', 'https://lerrin-daily.example/veltra-wire', false),
  source(
    4,
    'Coastal Times',
    'Rebels deny losing Veltra, say fighting goes on',
    '2027-04-26T08:15:00Z',
    'https://coastal.example/rebels-deny',
  ),
  source(
    5,
    'The Sentinel',
    'Veltra: what we know about the battle for the river town',
    '2027-04-26T09:00:00Z',
    'https://sentinel.example/veltra-explainer',
  ),
  source(
    6,
    'Radio Marren',
    'Aid groups report thousands fleeing Veltra',
    '2027-04-26T10:20:00Z',
    'https://radiomarren.example/news/veltra_(aid)',
  ),
  source(
    7,
    'Eastgate Herald',
    'Casualty figures from Veltra diverge',
    '2027-04-26T11:45:00Z',
    'https://eastgate.example/veltra-casualties',
  ),
  source(
    8,
    'Monitor Group Bulletin',
    'Independent monitor: at least 34 civilians killed',
    '2027-04-26T12:30:00Z',
    'https://monitor.example/bulletins/118',
  ),
];

const veltra: EventBrief = {
  id: 'ev_veltra_0426',
  title: 'Army says it has taken full control of Veltra; rebels deny it',
  summary: [
    'The army said on Monday that its forces had taken full control of Veltra, a river town of about 40,000 people, after a two-week offensive.',
    'Rebel commanders denied the claim and said fighting was continuing in the northern districts.',
    'Aid groups said thousands of residents had fled towards Marren since Saturday.',
  ],
  disputed: [
    {
      point: 'Control of Veltra',
      kind: 'claim_vs_denial',
      sides: [
        {
          by: 'The army',
          claim: 'Its forces control the whole town.',
          sources: [veltraSources[0]?.url ?? '', veltraSources[1]?.url ?? ''],
        },
        {
          by: 'Rebel commanders',
          claim: 'Fighting goes on in the northern districts.',
          sources: [veltraSources[3]?.url ?? '', veltraSources[4]?.url ?? ''],
        },
      ],
    },
    {
      point: 'Civilian deaths',
      kind: 'figures_differ',
      sides: [
        { by: 'Health ministry', claim: '27 civilians were killed.', sources: [veltraSources[6]?.url ?? ''] },
        {
          by: 'Independent monitor',
          claim: 'At least 34 civilians were killed.',
          sources: [veltraSources[6]?.url ?? '', veltraSources[7]?.url ?? ''],
        },
      ],
    },
    {
      point: 'The evacuation corridor',
      kind: 'characterisation_rejected',
      sides: [
        { by: 'The army', claim: 'The corridor is a humanitarian gesture.', sources: [veltraSources[2]?.url ?? ''] },
        { by: 'Aid groups', claim: 'It is a propaganda ploy; no convoy was let through.', sources: [veltraSources[5]?.url ?? ''] },
      ],
    },
  ],
  noDisputeNote: null,
  sources: veltraSources,
  articles: 8,
  independentSources: 7,
  firstPublishedAt: '2027-04-26T06:10:00Z',
  lastPublishedAt: '2027-04-26T12:30:00Z',
  relatedTo: null,
};

const museum: EventBrief = {
  id: 'ev_museum_0426',
  title: 'Marren city museum reopens after three-year renovation',
  summary: [
    'The Marren city museum reopened on Monday after a renovation that took three years and cost 48 million crowns.',
    'The new east wing houses the river-trade collection, which had been in storage since 2019.',
  ],
  disputed: [],
  noDisputeNote: 'The sources agree on the main points; no disagreement found.',
  sources: [
    source(21, 'Marren Courier', 'City museum reopens its doors', '2027-04-26T08:00:00Z', 'https://courier.example/museum'),
    source(22, 'Northline Post', 'Museum back after 36 months', '2027-04-26T08:30:00Z', 'https://northline.example/museum'),
    source(23, 'Culture Weekly', 'Inside the new east wing', '2027-04-26T09:10:00Z', 'https://culture.example/east-wing'),
    source(24, 'Harbour Wire', 'Marren museum reopens', '2027-04-26T09:30:00Z', 'https://wire.example/museum'),
  ],
  articles: 4,
  independentSources: 4,
  firstPublishedAt: '2027-04-26T08:00:00Z',
  lastPublishedAt: '2027-04-26T09:30:00Z',
  relatedTo: null,
};

const EVIL_TITLE = '@everyone <@123> <@&456> [click](https://evil.example) **bold** storm hits the coast';
const JS_URL = 'javascript:alert(document.cookie)';

/** 12,000+ characters of summary, with markdown and mentions sprinkled through. */
const longSummary = Array.from({ length: 120 }, (_, i) =>
  i % 10 === 3
    ? `Residents shouted @everyone and <@123> at rescuers on street ${i}, and a sign read **bold** [click](https://evil.example).`
    : `Emergency crews in district ${i} of Port Selden reported flooding up to ${(i % 7) + 1}.5 metres, and officials said more rain was expected overnight.`,
);

const stormSources: SourceRef[] = Array.from({ length: 40 }, (_, i) => {
  const n = i + 1;
  const url =
    n === 5
      ? JS_URL
      : n === 9
        ? 'https://wiki.example/Port_Selden_(town) flood history'
        : n === 13
          ? null
          : `https://outlet${n}.example/storm/${n}`;
  const title = n % 4 === 0 ? `${EVIL_TITLE} (${n})` : `Storm update ${n}: ~~surge~~ | levels > expected`;
  return source(
    100 + n,
    n % 6 === 0 ? 'Wire <@&456> Desk' : `Outlet ${n}`,
    title,
    `2027-04-25T${String(n % 24).padStart(2, '0')}:00:00Z`,
    url,
    n % 3 !== 0,
  );
});

const longClaim = Array.from(
  { length: 14 },
  (_, i) =>
    `The harbour authority says the sea wall at pier ${i + 1} held until the second surge, and that its engineers had warned about it in March.`,
).join(' ');

const stormPoints: DisputedPoint[] = Array.from({ length: 30 }, (_, i) => ({
  point: i === 0 ? `${EVIL_TITLE} — whether the sea wall failed` : `Figure ${i + 1}: homes flooded in district ${i + 1}`,
  kind: 'figures_differ',
  sides: [
    {
      by: i === 0 ? 'Harbour authority <@!789>' : `Council of district ${i + 1}`,
      claim: i === 0 ? longClaim : `About ${(i + 1) * 120} homes were flooded in district ${i + 1}, according to the council's count.`,
      sources: [stormSources[i % 40]?.url ?? '', stormSources[(i + 4) % 40]?.url ?? ''].filter(Boolean),
    },
    {
      by: i === 0 ? '@here residents' : 'Residents association',
      claim: `More than ${(i + 1) * 300} homes were flooded, the association says. [click](https://evil.example)`,
      sources: [stormSources[(i + 8) % 40]?.url ?? ''].filter(Boolean),
    },
  ],
}));

const storm: EventBrief = {
  id: 'ev_storm_pathological',
  title: `${EVIL_TITLE} ${'and the surge keeps rising along the southern shore '.repeat(8)}`.trim(),
  summary: longSummary,
  disputed: stormPoints,
  noDisputeNote: null,
  sources: stormSources,
  articles: 40,
  independentSources: 27,
  firstPublishedAt: '2027-04-25T00:00:00Z',
  lastPublishedAt: '2027-04-25T23:00:00Z',
  relatedTo: 'ev_storm_0424',
};

function briefing(events: EventBrief[], failedFeeds = 0): Briefing {
  return {
    generatedAt: '2027-04-26T13:00:00Z',
    feeds: Array.from({ length: 12 }, (_, i) => ({
      url: `https://feeds${i}.example/rss`,
      ok: i >= failedFeeds,
      newArticles: 3,
      error: i < failedFeeds ? 'HTTP 503' : null,
    })),
    events,
  };
}

const NOW = new Date('2027-04-26T14:00:00Z'); // a Monday

// ————————————————————————————————————————————————— checks

/** Every documented Discord limit, plus: no pings, never an empty field or message. */
function assertWithinDiscordLimits(message: DiscordMessage): void {
  expect(message.allowedMentions).toEqual({ parse: [] });
  if (message.content !== undefined) expect(message.content.length).toBeLessThanOrEqual(2000);
  expect(message.embeds.length + (message.content ? 1 : 0)).toBeGreaterThan(0);
  expect(message.embeds.length).toBeLessThanOrEqual(10);
  let total = 0;
  for (const e of message.embeds) {
    expect(e.title?.length ?? 0).toBeLessThanOrEqual(256);
    expect(e.description?.length ?? 0).toBeLessThanOrEqual(4096);
    if (e.description !== undefined) expect(e.description.trim()).not.toBe('');
    expect(e.fields?.length ?? 0).toBeLessThanOrEqual(25);
    for (const f of e.fields ?? []) {
      expect(f.name.length).toBeGreaterThan(0);
      expect(f.name.length).toBeLessThanOrEqual(256);
      expect(f.value.length).toBeGreaterThan(0);
      expect(f.value.length).toBeLessThanOrEqual(1024);
    }
    expect(e.footer?.text.length ?? 0).toBeLessThanOrEqual(2048);
    expect(e.author?.name.length ?? 0).toBeLessThanOrEqual(256);
    if (e.timestamp) expect(new Date(e.timestamp).toISOString()).toBe(e.timestamp);
    expect(e.title || e.description || e.fields?.length).toBeTruthy();
    total += (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0);
    for (const f of e.fields ?? []) total += f.name.length + f.value.length;
  }
  expect(total).toBeLessThanOrEqual(6000);
  expect(message.embeds.reduce((n, e) => n + embedTextLength(e), 0)).toBe(total);
  const rows = message.components ?? [];
  expect(rows.length).toBeLessThanOrEqual(5);
  for (const row of rows) {
    expect(row.type).toBe(1);
    expect(row.components.length).toBeGreaterThan(0);
    expect(row.components.length).toBeLessThanOrEqual(5);
    for (const b of row.components) {
      expect(b.type).toBe(2);
      expect('label' in b ? (b.label?.length ?? 0) : 0).toBeLessThanOrEqual(80);
      if ('custom_id' in b) expect(b.custom_id.length).toBeLessThanOrEqual(100);
    }
  }
}

function allText(messages: readonly DiscordMessage[]): string[] {
  return messages.flatMap((m) => [
    m.content ?? '',
    ...m.embeds.flatMap((e) => [
      e.title ?? '',
      e.description ?? '',
      e.footer?.text ?? '',
      ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
    ]),
  ]);
}

const MASKED_LINK = /(?<!\\)\[((?:\\.|[^\]\\])*)\]\(([^)\s]*)\)/g;

/** No mention, no feed-made masked link, no javascript: link; every link goes to one of the allowed URLs. */
function assertInert(messages: readonly DiscordMessage[], allowedUrls: ReadonlyArray<string | null>): void {
  const allowed = new Set(allowedUrls.map((u) => safeHttpUrl(u)).filter(Boolean));
  for (const text of allText(messages)) {
    expect(text).not.toMatch(/@(everyone|here)/i);
    expect(text).not.toMatch(/<@[!&]?\d+>|<#\d+>/);
    for (const m of text.matchAll(MASKED_LINK)) {
      expect(allowed.has(m[2] ?? ''), `unexpected link ${m[0]}`).toBe(true);
      expect(m[2]).not.toMatch(/evil\.example|javascript:/i);
    }
  }
}

function links(text: string): Array<{ label: string; url: string }> {
  return [...text.matchAll(MASKED_LINK)].map((m) => ({ label: m[1] ?? '', url: m[2] ?? '' }));
}

/** Every numbered link `[n](url)` points at source n of the event. */
function assertNumberedLinks(text: string, sources: readonly SourceRef[]): number {
  let count = 0;
  for (const { label, url } of links(text)) {
    if (!/^\d+$/.test(label)) continue;
    expect(safeHttpUrl(sources[Number(label) - 1]?.url)).toBe(url);
    count++;
  }
  return count;
}

const fields = (messages: readonly DiscordMessage[]) => messages.flatMap((m) => m.embeds.flatMap((e) => e.fields ?? []));
const descriptions = (messages: readonly DiscordMessage[]) =>
  messages.flatMap((m) => m.embeds.map((e) => e.description ?? '')).filter(Boolean);

// ————————————————————————————————————————————————— tests

describe('platforms/discord/render', () => {
  describe('renderEventMessage', () => {
    it('renders an event with disputes as one message: title, summary, a field per point, footer, timestamp, button', () => {
      const messages = renderEventMessage(veltra, 1, { sourcesButton: true });
      expect(messages).toHaveLength(1);
      const [m] = messages as [DiscordMessage];
      assertWithinDiscordLimits(m);
      assertInert(
        messages,
        veltra.sources.map((s) => s.url),
      );
      expect(m.embeds).toHaveLength(1);
      const e = m.embeds[0];
      expect(e?.title).toBe('1. Army says it has taken full control of Veltra; rebels deny it');
      expect(e?.description).toContain('full control of Veltra, a river town of about 40,000 people');
      expect(e?.description).toMatch(/\*\*What's disputed\*\*$/);
      expect(e?.fields?.map((f) => f.name)).toEqual(['Control of Veltra', 'Civilian deaths', 'The evacuation corridor']);
      expect(e?.footer?.text).toBe('8 articles · 7 independent sources');
      expect(e?.timestamp).toBe('2027-04-26T12:30:00.000Z');
      expect(m.components).toEqual([
        { type: 1, components: [{ type: 2, style: 2, label: 'Sources', custom_id: 'briefbot_sources:ev_veltra_0426' }] },
      ]);
      expect(messages).toMatchSnapshot();
    });

    it('links each side to the right numbered sources', () => {
      const [m] = renderEventMessage(veltra, 1, { sourcesButton: false });
      const value = (name: string) => m?.embeds[0]?.fields?.find((f) => f.name === name)?.value ?? '';
      expect(value('Control of Veltra')).toBe(
        '**The army**: Its forces control the whole town. [1](https://northline.example/veltra-control) [2](https://wire.example/2027/04/26/veltra)\n' +
          '**Rebel commanders**: Fighting goes on in the northern districts. [4](https://coastal.example/rebels-deny) [5](https://sentinel.example/veltra-explainer)',
      );
      expect(value('Civilian deaths')).toContain(
        '**Independent monitor**: At least 34 civilians were killed. [7](https://eastgate.example/veltra-casualties) [8](',
      );
      // The ")" in the URL is percent-encoded so the link does not end early.
      expect(value('The evacuation corridor')).toContain('[6](https://radiomarren.example/news/veltra_%28aid%29)');
      expect(
        assertNumberedLinks(
          fields([m as DiscordMessage])
            .map((f) => f.value)
            .join('\n'),
          veltra.sources,
        ),
      ).toBe(9);
      expect(m?.components).toBeUndefined();
    });

    it('shows the no-dispute note when the sources agree', () => {
      const messages = renderEventMessage(museum, 2, { sourcesButton: true });
      expect(messages).toHaveLength(1);
      for (const m of messages) assertWithinDiscordLimits(m);
      const e = messages[0]?.embeds[0];
      expect(e?.title).toBe('2. Marren city museum reopens after three-year renovation');
      expect(e?.description).not.toContain("What's disputed");
      expect(e?.fields).toEqual([{ name: "What's disputed", value: 'The sources agree on the main points; no disagreement found.' }]);
      expect(e?.footer?.text).toBe('4 articles · 4 independent sources');
      expect(messages[0]?.components?.[0]?.components[0]).toMatchObject({ custom_id: 'briefbot_sources:ev_museum_0426' });
    });

    it('splits a pathological event cleanly across embeds and messages, within every limit', () => {
      const messages = renderEventMessage(storm, 3, { sourcesButton: true });
      expect(messages.length).toBeGreaterThan(2);
      for (const m of messages) assertWithinDiscordLimits(m);
      assertInert(
        messages,
        storm.sources.map((s) => s.url),
      );

      // The button is on the last message only and carries the event id.
      messages.slice(0, -1).forEach((m) => {
        expect(m.components).toBeUndefined();
      });
      expect(messages.at(-1)?.components?.[0]?.components[0]).toMatchObject({
        custom_id: 'briefbot_sources:ev_storm_pathological',
        style: 2,
      });

      // Footer and timestamp once, on the very last embed.
      const embeds = messages.flatMap((m) => m.embeds);
      expect(embeds.filter((e) => e.footer)).toEqual([embeds.at(-1)]);
      expect(embeds.at(-1)?.footer?.text).toBe('40 articles · 27 independent sources');
      expect(embeds.at(-1)?.timestamp).toBe('2027-04-25T23:00:00.000Z');

      // The over-long title is shortened at a word and given whole at the top of the description.
      const first = embeds[0];
      expect(first?.title?.endsWith('…')).toBe(true);
      expect(
        first?.title?.startsWith(`3. @${ZWSP}everyone <${ZWSP}@123> <${ZWSP}@&456> \\[click\\](https://evil.example) \\*\\*bold\\*\\*`),
      ).toBe(true);
      expect(first?.description?.startsWith(`**3. ${escapeDiscordText(storm.title)}**`)).toBe(true);
      // Follow-up messages open with a continuation title.
      for (const m of messages.slice(1)) expect(m.embeds[0]?.title).toMatch(/\(continued\)$/);

      // The summary is split only between sentences: chunks rejoined with a space give it back.
      const summary = escapeDiscordText(storm.summary.join(' '));
      expect(summary.length).toBeGreaterThan(12_000);
      const descs = descriptions(messages);
      expect(descs.length).toBeGreaterThanOrEqual(4);
      expect(descs.join(' ')).toContain(summary);
      for (const d of descs) expect(d).toMatch(/(\.|\*\*What's disputed\*\*)$/);

      // 30 points: more than 25 fields in all, and the long side continues in fields cut at sentences.
      const all = fields(messages);
      expect(all.length).toBeGreaterThan(30);
      const wall = all.filter((f) => f.name.includes('whether the sea wall failed'));
      expect(wall.length).toBeGreaterThan(1);
      expect(wall[0]?.name.startsWith(`@${ZWSP}everyone <${ZWSP}@123>`)).toBe(true);
      expect(wall.slice(1).every((f) => f.name.endsWith('(continued)'))).toBe(true);
      // Each value ends at the end of a sentence or of a side (its source references).
      for (const f of wall) expect(f.value).toMatch(/(\.|\)| \d+)$/);
      const rejoined = wall.map((f) => f.value).join(' ');
      expect(rejoined.replace(/\s+/g, ' ')).toContain(escapeDiscordText(longClaim));
      expect(rejoined).toContain(`**Harbour authority <${ZWSP}@!789>**:`);
      expect(rejoined).toContain(`**@${ZWSP}here residents**:`);

      // Numbered links go to the right sources; the javascript: source is a bare number, never a link.
      expect(assertNumberedLinks(all.map((f) => f.value).join('\n'), storm.sources)).toBeGreaterThan(50);
      const figure2 = all.find((f) => f.name === 'Figure 2: homes flooded in district 2')?.value ?? '';
      expect(figure2).toContain('count. [2](https://outlet2.example/storm/2) [6](https://outlet6.example/storm/6)\n');
      expect(figure2).toContain('the association says. \\[click\\](https://evil.example) [10](https://outlet10.example/storm/10)');
      const figure5 = all.find((f) => f.name === 'Figure 5: homes flooded in district 5')?.value ?? '';
      expect(figure5).toContain('count. 5 [9](https://wiki.example/Port_Selden_%28town%29%20flood%20history)\n');
      expect(allText(messages).join('\n')).not.toContain('javascript:');
    });

    it('stays within limits on degenerate text: no sentence ends, no spaces, huge labels', () => {
      const degenerate: EventBrief = {
        ...museum,
        id: 'ev_degenerate',
        title: 'x'.repeat(5000),
        summary: ['word '.repeat(3000), '*_'.repeat(3000)],
        disputed: [
          {
            point: 'p'.repeat(600),
            kind: 'claim_vs_denial',
            sides: [{ by: 'B '.repeat(900), claim: '`'.repeat(2500), sources: museum.sources.map((s) => s.url ?? '') }],
          },
        ],
        noDisputeNote: null,
        sources: museum.sources.map((s) => ({ ...s, title: 'T '.repeat(3000) })),
      };
      const messages = [
        ...renderEventMessage(degenerate, 99, { sourcesButton: true }),
        ...renderSources([degenerate], { pageSize: 50 }),
        ...renderBriefingParent(briefing([degenerate]), { now: NOW, timezone: 'UTC', heading: 'h'.repeat(400) }),
      ];
      for (const m of messages) assertWithinDiscordLimits(m);
      assertInert(
        messages,
        museum.sources.map((s) => s.url),
      );
      // Every escape survives splitting: no chunk ends on a lone backslash.
      for (const t of allText(messages)) expect(t).not.toMatch(/(^|[^\\])(\\\\)*\\$/);
    });

    it('notes the event it follows', () => {
      const [m] = renderEventMessage({ ...museum, relatedTo: 'ev_museum_0101' }, 1, { sourcesButton: false });
      expect(m?.embeds[0]?.description).toContain('_Follows earlier event ev\\_museum\\_0101_');
    });
  });

  describe('renderBriefingParent and threadName', () => {
    const five = briefing(
      [
        veltra,
        museum,
        storm,
        { ...museum, id: 'ev_x', title: 'Ferry strike ends' },
        { ...veltra, id: 'ev_y', title: 'Vote count delayed' },
      ],
      2,
    );

    it('titles the brief with the day in the time zone, counts and numbered headlines', () => {
      const messages = renderBriefingParent(five, { now: NOW, timezone: 'Europe/London' });
      expect(messages).toHaveLength(1);
      for (const m of messages) assertWithinDiscordLimits(m);
      assertInert(messages, []);
      const e = messages[0]?.embeds[0];
      expect(e?.title).toBe('News brief · Mon 26 Apr');
      const lines = e?.description?.split('\n') ?? [];
      expect(lines[0]).toBe('5 events · 52 sources · 2 of 12 feeds failed');
      expect(lines[2]).toBe('**1.** Army says it has taken full control of Veltra; rebels deny it · 8 sources');
      expect(lines[4]).toMatch(
        /^\*\*3\.\*\* @\u200beveryone <\u200b@123> <\u200b@&456> \\\[click\\\]\(https:\/\/evil\.example\) \\\*\\\*bold/,
      );
      expect(lines[6]).toBe('**5.** Vote count delayed · 8 sources');
      expect(e?.timestamp).toBe('2027-04-26T13:00:00.000Z');
    });

    it('uses the time zone for the date and the heading when given', () => {
      const late = new Date('2027-04-26T23:30:00Z');
      expect(renderBriefingParent(five, { now: late, timezone: 'Pacific/Auckland' })[0]?.embeds[0]?.title).toBe('News brief · Tue 27 Apr');
      expect(renderBriefingParent(five, { now: late, timezone: 'America/New_York', heading: 'Morning *brief*' })[0]?.embeds[0]?.title).toBe(
        'Morning \\*brief\\* · Mon 26 Apr',
      );
      expect(renderBriefingParent(five, { now: late, timezone: 'Not/AZone' })[0]?.embeds[0]?.title).toBe('News brief · Mon 26 Apr');
    });

    it('splits many events cleanly, every headline once, in order, never cut', () => {
      const many = Array.from({ length: 150 }, (_, i) => ({
        ...museum,
        id: `ev_${i}`,
        title: `Event number ${i + 1} about the harbour, the council and the long-delayed tram line extension to the airport`,
      }));
      const messages = renderBriefingParent(briefing(many), { now: NOW, timezone: 'UTC' });
      expect(messages.length).toBeGreaterThan(1);
      for (const m of messages) assertWithinDiscordLimits(m);
      const lines = descriptions(messages)
        .flatMap((d) => d.split('\n'))
        .filter((l) => l.startsWith('**'));
      expect(lines).toHaveLength(150);
      lines.forEach((l, i) => {
        expect(l).toBe(`**${i + 1}.** ${many[i]?.title} · 4 sources`);
      });
      expect(messages[1]?.embeds[0]?.title).toBe('News brief · Mon 26 Apr (continued)');
    });

    it('says so when there are no events', () => {
      const [m] = renderBriefingParent(briefing([]), { now: NOW, timezone: 'UTC' });
      assertWithinDiscordLimits(m as DiscordMessage);
      expect(m?.embeds[0]?.description).toBe('0 events · 0 sources\n\nNo new events.');
    });

    it('names the thread within 100 characters', () => {
      expect(threadName(five, { now: NOW, timezone: 'Europe/Berlin' })).toBe('Brief · 26 Apr · 5 events');
      expect(threadName(briefing([museum]), { now: NOW, timezone: 'UTC' })).toBe('Brief · 26 Apr · 1 event');
      expect(threadName(five, { now: NOW, timezone: 'UTC' }).length).toBeLessThanOrEqual(100);
    });
  });

  describe('renderEventUpdate', () => {
    it('lists the new sources with their numbers and the new points', () => {
      const newSources = veltra.sources.slice(5);
      const newPoints = veltra.disputed.slice(1, 2);
      const messages = renderEventUpdate(veltra, { newSources, newPoints });
      expect(messages).toHaveLength(1);
      for (const m of messages) assertWithinDiscordLimits(m);
      assertInert(
        messages,
        veltra.sources.map((s) => s.url),
      );
      const e = messages[0]?.embeds[0];
      expect(e?.title).toBe('Update: 3 new sources · 1 new disputed point');
      const lines = e?.description?.split('\n') ?? [];
      expect(lines[0]).toBe(`**${veltra.title}**`);
      expect(lines[2]).toBe(
        '**6.** Radio Marren — [Aid groups report thousands fleeing Veltra](https://radiomarren.example/news/veltra_%28aid%29) · <t:1808734800:f>',
      );
      expect(lines[4]).toMatch(
        /^\*\*8\.\*\* Monitor Group Bulletin — \[Independent monitor: at least 34 civilians killed\]\(https:\/\/monitor\.example\/bulletins\/118\)/,
      );
      expect(e?.fields?.map((f) => f.name)).toEqual(['Civilian deaths']);
      expect(assertNumberedLinks(e?.fields?.[0]?.value ?? '', veltra.sources)).toBe(3);
    });

    it('renders a huge update within limits and nothing when nothing is new', () => {
      const messages = renderEventUpdate(storm, { newSources: storm.sources, newPoints: storm.disputed });
      expect(messages.length).toBeGreaterThan(1);
      for (const m of messages) assertWithinDiscordLimits(m);
      assertInert(
        messages,
        storm.sources.map((s) => s.url),
      );
      expect(renderEventUpdate(storm, { newSources: [], newPoints: [] })).toEqual([]);
    });
  });

  describe('renderSources', () => {
    it('numbers sources, links them, marks copies, paginates', () => {
      expect(sourcePageCount([storm], 10)).toBe(4);
      const page2 = renderSources([storm], { page: 2, pageSize: 10 });
      expect(page2).toHaveLength(1);
      for (const m of page2) assertWithinDiscordLimits(m);
      assertInert(
        page2,
        storm.sources.map((s) => s.url),
      );
      const e = page2[0]?.embeds[0];
      expect(e?.title?.startsWith(`Sources · @${ZWSP}everyone`)).toBe(true);
      const lines = e?.description?.split('\n') ?? [];
      expect(lines).toHaveLength(10);
      expect(lines.map((l) => /^\*\*(\d+)\.\*\*/.exec(l)?.[1])).toEqual(['11', '12', '13', '14', '15', '16', '17', '18', '19', '20']);
      expect(lines[0]).toBe(
        '**11.** Outlet 11 — [Storm update 11: \\~\\~surge\\~\\~ \\| levels > expected](https://outlet11.example/storm/11) · <t:1808650800:f>',
      );
      expect(lines[1]).toContain('· copy of another source');
      // No URL: the escaped title without a link.
      expect(lines[2]).toBe('**13.** Outlet 13 — Storm update 13: \\~\\~surge\\~\\~ \\| levels > expected · <t:1808658000:f>');
      expect(lines[7]).toContain(`**18.** Wire <${ZWSP}@&456> Desk — `);
      expect(e?.footer?.text).toBe('Page 2 of 4 · 40 sources · 13 copies of other sources');
    });

    it('never links a javascript: URL and clamps the page', () => {
      const page1 = renderSources([storm], { pageSize: 10 });
      const line5 = page1[0]?.embeds[0]?.description?.split('\n')[4] ?? '';
      expect(line5.startsWith('**5.** Outlet 5 — Storm update 5')).toBe(true);
      expect(line5).not.toContain('](');
      expect(allText(page1).join('')).not.toContain('javascript');
      expect(renderSources([storm], { page: 99, pageSize: 10 })[0]?.embeds[0]?.footer?.text).toMatch(/^Page 4 of 4/);
      expect(renderSources([storm], { page: -3, pageSize: 10 })[0]?.embeds[0]?.footer?.text).toMatch(/^Page 1 of 4/);
    });

    it('groups several events under headings, numbered per event, within limits at any page size', () => {
      const messages = renderSources([veltra, museum, storm], { pageSize: 100 });
      for (const m of messages) assertWithinDiscordLimits(m);
      assertInert(
        messages,
        [...veltra.sources, ...museum.sources, ...storm.sources].map((s) => s.url),
      );
      const text = descriptions(messages).join('\n');
      expect(text).toContain(`**${veltra.title}**\n**1.** Northline Post`);
      expect(text).toContain(`**${museum.title}**\n**1.** Marren Courier`);
      expect(messages.flatMap((m) => m.embeds).at(-1)?.footer?.text).toBe('52 sources · 14 copies of other sources');
      const veltraLines = text
        .slice(0, text.indexOf(museum.title))
        .split('\n')
        .filter((l) => /^\*\*\d+\./.test(l));
      expect(veltraLines).toHaveLength(8);
      veltraLines.forEach((line, i) => {
        expect(line.startsWith(`**${i + 1}.** ${veltra.sources[i]?.outlet} — `)).toBe(true);
        expect(links(line).map((l) => l.url)).toEqual([safeHttpUrl(veltra.sources[i]?.url)]);
      });
    });
  });

  describe('on demand', () => {
    it('renders no match with the latest events, the topic made inert', () => {
      const latest = [veltra, museum, storm].map((e) => ({
        id: e.id,
        title: e.title,
        lastPublishedAt: e.lastPublishedAt,
        articles: e.articles,
      }));
      const messages = renderNoMatch('@everyone <@&456> **floods**', latest);
      for (const m of messages) assertWithinDiscordLimits(m);
      assertInert(messages, []);
      const e = messages[0]?.embeds[0];
      expect(e?.title).toBe(`Nothing recent on “@${ZWSP}everyone <${ZWSP}@&456> \\*\\*floods\\*\\*”`);
      expect(e?.description?.split('\n')[2]).toBe(`**1.** ${veltra.title} · 8 articles · <t:1808742600:R>`);
      const none = renderNoMatch('x'.repeat(500), []);
      for (const m of none) assertWithinDiscordLimits(m);
      expect(none[0]?.embeds[0]?.description).toMatch(/no events yet/);
    });

    it('renders an on-demand parent', () => {
      const messages = renderOnDemandParent('Veltra <@123>', briefing([veltra, storm]));
      for (const m of messages) assertWithinDiscordLimits(m);
      assertInert(messages, []);
      expect(messages[0]?.embeds[0]?.title).toBe(`Brief: Veltra <${ZWSP}@123>`);
      expect(messages[0]?.embeds[0]?.description?.split('\n')[0]).toBe('2 events · 48 sources');
      expect(renderOnDemandParent('nothing', briefing([]))[0]?.embeds[0]?.description).toContain('No recent event matches');
    });
  });
});
