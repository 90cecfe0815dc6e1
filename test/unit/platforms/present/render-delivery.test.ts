import { describe, expect, it } from 'vitest';
import type { Briefing, EventBrief } from '../../../../src/core/types.ts';
import type { DeliveryContent } from '../../../../src/platforms/chat-platform.ts';
import { type DeliveryRenderer, renderDelivery } from '../../../../src/platforms/present/render-delivery.ts';

/** A renderer that says which of its parts ran, with what. */
const naming: DeliveryRenderer<string> = {
  briefingParent: (b, label) => `parent ${b.events.length} ${label.now.toISOString()} ${label.timezone} ${label.heading ?? '-'}`,
  onDemandParent: (topic, b, label) => `on demand ${topic} ${b.events.length} ${label.timezone}`,
  event: (event, index) => `event ${event.id} ${index}`,
  update: (event, changes) => `update ${event.id} ${changes.newSources.length} ${changes.newPoints.length}`,
  sources: (events, page) => `sources ${events.length} page ${page}`,
  noMatch: (topic, latest) => `no match ${topic} ${latest.length}`,
  notice: (text) => `notice ${text}`,
};

const event = { id: 'ev1', sources: [] } as unknown as EventBrief;
const briefing: Briefing = { generatedAt: '2027-04-26T08:00:00.000Z', events: [event], feeds: [] };

describe('platforms/present/render-delivery', () => {
  it('sends each kind of content to the renderer part for it', () => {
    const cases: Array<[DeliveryContent, string]> = [
      [{ kind: 'parent', briefing, heading: null, timezone: 'UTC', topic: null }, 'parent 1 2027-04-26T08:00:00.000Z UTC -'],
      [{ kind: 'parent', briefing, heading: 'Evening', timezone: 'UTC', topic: null }, 'parent 1 2027-04-26T08:00:00.000Z UTC Evening'],
      [{ kind: 'parent', briefing, heading: null, timezone: 'Europe/London', topic: 'kursk' }, 'on demand kursk 1 Europe/London'],
      [{ kind: 'event', event, index: 3 }, 'event ev1 3'],
      [{ kind: 'update', event, newSources: [], newPoints: [] }, 'update ev1 0 0'],
      [{ kind: 'sources', events: [event, event], page: 2 }, 'sources 2 page 2'],
      [{ kind: 'no_match', topic: 'x', latest: [] }, 'no match x 0'],
      [{ kind: 'notice', text: 'hello' }, 'notice hello'],
    ];
    for (const [content, expected] of cases) expect(renderDelivery(content, naming)).toBe(expected);
  });
});
