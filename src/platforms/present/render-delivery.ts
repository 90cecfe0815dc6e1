/**
 * @module Pure: the one dispatch over what a delivery posts ({@link DeliveryContent}). Each platform
 * supplies a {@link DeliveryRenderer} that writes its own markup for each kind; which renderer runs
 * for which content, and with which options, is decided here once for every platform.
 */
import type { Briefing, DisputedPoint, EventBrief, SourceRef } from '../../core/types.ts';
import type { DeliveryContent, LatestEvent } from '../chat-platform.ts';

/** How a scheduled brief's parent message is dated and headed. */
export interface ParentLabel {
  /** The brief's own time (its `generatedAt`), for the date in the heading. */
  now: Date;
  /** IANA zone for that date; an unknown zone falls back to UTC. */
  timezone: string;
  /** Replaces the default heading ("News brief"); null (or empty, on chat platforms) for the default. */
  heading: string | null;
}

/** A platform's markup for each kind of delivery. */
export interface DeliveryRenderer<R> {
  /** The parent message of a scheduled brief: heading, counts, the numbered headlines. */
  briefingParent(briefing: Briefing, label: ParentLabel): R;
  /** The parent message of an on-demand brief (`/brief kursk`). */
  onDemandParent(topic: string, briefing: Briefing, label: ParentLabel): R;
  /** One event of a brief, posted in its thread with a Sources button. */
  event(event: EventBrief, index: number): R;
  /** What changed in an event already posted. */
  update(event: EventBrief, changes: { newSources: SourceRef[]; newPoints: DisputedPoint[] }): R;
  /** One page of the sources of one or more events. */
  sources(events: EventBrief[], page: number): R;
  /** `/brief <topic>` found nothing: the latest events instead. */
  noMatch(topic: string, latest: LatestEvent[]): R;
  /** A plain notice (feed text escaped like any other). */
  notice(text: string): R;
}

/** The content rendered by the platform's renderer. */
export function renderDelivery<R>(content: DeliveryContent, renderer: DeliveryRenderer<R>): R {
  switch (content.kind) {
    case 'parent': {
      const label = { now: new Date(content.briefing.generatedAt), timezone: content.timezone, heading: content.heading };
      return content.topic
        ? renderer.onDemandParent(content.topic, content.briefing, label)
        : renderer.briefingParent(content.briefing, label);
    }
    case 'event':
      return renderer.event(content.event, content.index);
    case 'update':
      return renderer.update(content.event, { newSources: content.newSources, newPoints: content.newPoints });
    case 'sources':
      return renderer.sources(content.events, content.page);
    case 'no_match':
      return renderer.noMatch(content.topic, content.latest);
    case 'notice':
      return renderer.notice(content.text);
  }
}
