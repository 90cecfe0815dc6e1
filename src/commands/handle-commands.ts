/**
 * @module What briefbot does when someone asks: `/brief <topic>`, "sources" in a briefing thread, the
 * Sources button. Platform-neutral: adapters call these and post nothing themselves; answers go through
 * the ledger like every other message.
 */
import type { ChannelSpec } from '../config/load-config.ts';
import type { EventBrief } from '../core/types.ts';
import { type PlanDeps, planOnDemandBrief, planThreadReply } from '../outbox/plan-briefs.ts';
import { briefEventsInOrder } from '../pipeline/brief-events.ts';
import { searchEvents } from '../pipeline/search-briefing.ts';
import type { BriefAnswer, InboundHandlers, LatestEvent } from '../platforms/chat-platform.ts';
import { parseSourcesRequest } from './sources-request.ts';

export interface CommandDeps extends PlanDeps {
  channels: readonly ChannelSpec[];
  defaultTimezone: string;
  /** Starts a delivery run in the background, so what was just planned is posted now (not at the next retry tick). */
  wakeDeliverer: () => void;
}

function latestEvents(deps: CommandDeps, n = 5): LatestEvent[] {
  return deps.store.events
    .listLatest(n)
    .map((e) => ({ id: e.id, title: e.title, lastPublishedAt: e.lastPublishedAt, articles: e.articleCount }));
}

export function createCommandHandlers(deps: CommandDeps): InboundHandlers {
  const timezoneOf = (platform: string, channelId: string) =>
    deps.channels.find((c) => c.deliveredVia === platform && c.id === channelId)?.timezone ?? deps.defaultTimezone;

  const eventsOfThread = async (platform: string, channelId: string, threadRef: string): Promise<EventBrief[]> => {
    const posts = deps.store.deliveries.eventsInThread(platform, channelId, threadRef);
    return briefEventsInOrder(
      posts.map((p) => p.eventId),
      deps,
    );
  };

  const planSources = async (
    platform: string,
    channelId: string,
    threadRef: string,
    eventId: string | null,
    number: number | null,
    requestId: string,
  ): Promise<boolean> => {
    const events = await eventsOfThread(platform, channelId, threadRef);
    if (events.length === 0) return false;
    let chosen = events;
    let page = 1;
    if (eventId) chosen = events.filter((e) => e.id === eventId);
    else if (number !== null && events.length > 1 && number <= events.length) chosen = [events[number - 1] as EventBrief];
    else if (number !== null) page = number;
    if (chosen.length === 0) return false;
    planThreadReply(platform, channelId, threadRef, { kind: 'sources', events: chosen, page }, [requestId], deps);
    deps.wakeDeliverer();
    return true;
  };

  return {
    async brief(req): Promise<BriefAnswer> {
      const topic = req.topic.trim();
      if (!topic) return { kind: 'empty_topic', latest: latestEvents(deps) };
      const matches = searchEvents(topic, deps.store, 3);
      if (matches.length === 0) return { kind: 'no_match', topic, latest: latestEvents(deps) };
      const briefs = await briefEventsInOrder(
        matches.map((m) => m.eventId),
        deps,
      );
      // Where the bot cannot post, the asker still gets the brief, for their eyes only.
      if (req.deliver === false) return { kind: 'preview', topic, events: briefs };
      const planned = planOnDemandBrief(
        req.platform,
        req.channelId,
        topic,
        briefs,
        timezoneOf(req.platform, req.channelId),
        deps,
        req.threadRef ?? null,
      );
      deps.wakeDeliverer();
      return { kind: 'planned', briefId: planned.briefId, events: planned.events, fresh: planned.fresh };
    },
    async threadMessage(req) {
      const ask = parseSourcesRequest(req.text);
      if (!ask) return false;
      return planSources(req.platform, req.channelId, req.threadRef, null, ask.number, req.requestId);
    },
    sources: (req) => planSources(req.platform, req.channelId, req.threadRef, req.eventId, req.number, req.requestId),
  };
}
