import { describe, expect, it } from 'vitest';
import type { Briefing, EventBrief } from '../../../../src/core/types.ts';
import { webhookText } from '../../../../src/platforms/webhook/index.ts';

function event(id: string, title: string): EventBrief {
  return {
    id,
    title,
    summary: ['The ferry runs again.'],
    disputed: [],
    noDisputeNote: null,
    sources: [
      {
        articleId: `${id}-a`,
        outlet: 'Harbour Wire',
        title,
        url: `https://a.example/${id}`,
        publishedAt: '2027-04-26T06:10:00Z',
        independent: true,
      },
    ],
    articles: 1,
    independentSources: 1,
    firstPublishedAt: '2027-04-26T06:10:00Z',
    lastPublishedAt: '2027-04-26T06:10:00Z',
    relatedTo: null,
  } as EventBrief;
}

const briefing: Briefing = {
  generatedAt: '2027-04-26T08:00:00Z',
  events: [event('ev1', 'Ferry service resumes'), event('ev2', 'Harbour bridge closes for repairs')],
  feeds: [],
};

describe('platforms/webhook text', () => {
  it("lists the brief's headlines under its heading, numbered as its parts", () => {
    const text = webhookText({ kind: 'parent', briefing, heading: null, timezone: 'UTC', topic: null });
    expect(text.split('\n').slice(-2)).toEqual([' 1. Ferry service resumes', ' 2. Harbour bridge closes for repairs']);
    expect(text).toMatch(/^News brief · .* · 2 events from 2 sources\n=+\n/);
  });

  it('does not let a headline ping a whole channel where the receiver forwards the text', () => {
    const loud = event('ev3', 'Union tells @everyone and @here to walk out');
    for (const text of [
      webhookText({ kind: 'parent', briefing: { ...briefing, events: [loud] }, heading: null, timezone: 'UTC', topic: null }),
      webhookText({ kind: 'event', event: loud, index: 1 }),
    ]) {
      expect(text).toContain('Union tells @');
      expect(text).not.toMatch(/@(everyone|here)/);
    }
  });
});
