import { describe, expect, it } from 'vitest';
import type { Briefing, EventBrief } from '../../../../src/core/types.ts';
import { renderForConsole } from '../../../../src/platforms/present/console-text.ts';

const ferry: EventBrief = {
  id: 'ev1',
  title: 'Ferry service resumes',
  summary: ['The ferry runs again.'],
  disputed: [
    {
      point: 'Why it stopped',
      kind: 'claim_vs_denial',
      sides: [
        { by: 'Operator', claim: 'Repairs', sources: ['https://a.example/1'] },
        { by: 'Union', claim: 'A strike', sources: ['https://b.example/2'] },
      ],
    },
  ],
  noDisputeNote: null,
  sources: [
    {
      articleId: 'a1',
      outlet: 'Harbour Wire',
      title: 'Ferry back',
      url: 'https://a.example/1',
      publishedAt: '2027-04-26T06:10:00Z',
      independent: true,
    },
    {
      articleId: 'a2',
      outlet: 'Coast Daily',
      title: 'Ferry back (copy)',
      url: 'https://b.example/2',
      publishedAt: '2027-04-26T07:05:00Z',
      independent: false,
    },
  ],
  articles: 2,
  independentSources: 1,
  firstPublishedAt: '2027-04-26T06:10:00Z',
  lastPublishedAt: '2027-04-26T07:05:00Z',
  relatedTo: null,
} as EventBrief;

const briefing: Briefing = { generatedAt: '2027-04-26T08:00:00Z', events: [ferry], feeds: [] };

describe('platforms/present/console-text', () => {
  it('heads a brief with its title, its date in the zone and the counts, underlined', () => {
    expect(renderForConsole({ kind: 'parent', briefing, heading: null, timezone: 'Europe/London', topic: null }, 80)).toBe(
      `\nNews brief · Monday, 26 April 2027 at 09:00 BST · 1 event from 2 sources\n${'='.repeat(72)}`,
    );
    expect(renderForConsole({ kind: 'parent', briefing, heading: null, timezone: 'UTC', topic: 'ferry' }, 80)).toBe(
      `\nBrief on “ferry” · Monday, 26 April 2027 at 08:00 UTC · 1 event from 2 sources\n${'='.repeat(78)}`,
    );
  });

  it('writes an event with its disputed sides citing numbered sources, wrapped to the width', () => {
    expect(renderForConsole({ kind: 'event', event: ferry, index: 1 }, 60)).toBe(
      [
        '',
        ' 1. Ferry service resumes',
        '    2 articles · 1 independent source · 2027-04-26 06:10 UTC–07:05',
        '',
        '    The ferry runs again.',
        '',
        "    What's disputed",
        '    • Why it stopped',
        '      – Operator: Repairs [1]',
        '      – Union: A strike [2]',
        '',
        '    Sources',
        '    [1] Harbour Wire — Ferry back (2027-04-26 06:10 UTC)',
        '         https://a.example/1',
        '    [2] Coast Daily — Ferry back (copy) (2027-04-26 07:05',
        '         UTC) (copy of another source)',
        '         https://b.example/2',
      ].join('\n'),
    );
  });

  it('writes sources and the no-match reply', () => {
    expect(renderForConsole({ kind: 'sources', events: [ferry], page: 1 }, 80)).toBe(
      '\nSources for: Ferry service resumes\n    [1] Harbour Wire — Ferry back https://a.example/1\n    [2] Coast Daily — Ferry back (copy) https://b.example/2',
    );
    expect(
      renderForConsole({
        kind: 'no_match',
        topic: 'kursk',
        latest: [{ id: 'e', title: 'Ferry service resumes', lastPublishedAt: '', articles: 2 }],
      }),
    ).toBe('\nNothing matches “kursk”. Latest events:\n  - Ferry service resumes');
  });
});
