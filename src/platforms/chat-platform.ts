/**
 * @module The chat platform port. Adapters (Slack, Discord, the console, a webhook …) translate: a platform event
 * becomes a call to the InboundHandlers, and a platform-neutral DeliveryContent becomes the
 * platform's messages. They decide nothing about what to post.
 */
import type { Briefing, DisputedPoint, EventBrief, SourceRef } from '../core/types.ts';

export interface LatestEvent {
  id: string;
  title: string;
  lastPublishedAt: string;
  articles: number;
}

/** What a delivery posts, before any platform renders it. */
export type DeliveryContent =
  | { kind: 'parent'; briefing: Briefing; heading: string | null; timezone: string; topic: string | null }
  | { kind: 'event'; event: EventBrief; index: number }
  | { kind: 'update'; event: EventBrief; newSources: SourceRef[]; newPoints: DisputedPoint[] }
  | { kind: 'sources'; events: EventBrief[]; page: number }
  | { kind: 'no_match'; topic: string; latest: LatestEvent[] }
  | { kind: 'notice'; text: string };

export interface PostRequest {
  /** Idempotency key of the delivery; adapters tag what they post with it so it can be found again. */
  key: string;
  channelId: string;
  /** The thread to post into (a Slack thread_ts, a Discord thread channel id), or null for top level. */
  threadRef: string | null;
  content: DeliveryContent;
}

export interface PostResult {
  /** The platform's reference to the (first) message posted. */
  messageRef: string;
  /** The thread that later deliveries of the same brief post into (for a top-level message: its new thread). */
  threadRef: string;
}

/** A registered platform's id (platforms/registry.ts): data, not a closed list. */
export type PlatformId = string;

export interface ChatPlatform {
  /** Its id in the registry (what channels name in `platform:` and the ledger stores). */
  readonly name: PlatformId;
  start(inbound: InboundHandlers): Promise<void>;
  stop(): Promise<void>;
  /** Whether commands and replies can reach briefbot now (the socket or gateway is up). */
  connected(): boolean;
  /**
   * Only one instance at a time may hold the inbound connection (Discord: every gateway session gets
   * every event). With several instances on one database, the others stand by and take over when it
   * goes. Absent: any number may connect (Slack spreads events across Socket Mode connections).
   */
  readonly singleInbound?: boolean;
  /** Closes the inbound connection only, posting still works; `start` may connect again (single-inbound platforms). */
  stopInbound?(): Promise<void>;
  /**
   * Posts a delivery (all its parts). When `inDoubt`, an earlier attempt (started at `since`) may have
   * posted some or all of it before a crash or a lost answer: the adapter first finds what is already
   * there (by key) and posts only the rest. Throws PlatformError (retryable or not, `definite` when the
   * platform said it did not post, `retryAfterMs` when it asked to wait).
   */
  post(request: PostRequest, options: { inDoubt: boolean; since: string | null }): Promise<PostResult>;
}

export interface BriefRequest {
  platform: PlatformId;
  channelId: string;
  userId: string;
  topic: string;
  /** Asked inside a thread (a Discord thread or forum post): the brief goes into that thread. */
  threadRef?: string;
  /** False when the bot cannot post where it was asked: the brief is only returned, for the asker's eyes. */
  deliver?: boolean;
}

export type BriefAnswer =
  /** `fresh` is false when the same brief was asked for a moment ago (it is not posted twice). */
  | { kind: 'planned'; briefId: string; events: number; fresh: boolean }
  /** The brief itself, not posted (`deliver: false`): the adapter shows it to the asker alone. */
  | { kind: 'preview'; topic: string; events: EventBrief[] }
  | { kind: 'no_match'; topic: string; latest: LatestEvent[] }
  | { kind: 'empty_topic'; latest: LatestEvent[] };

export interface InboundHandlers {
  /** `/brief <topic>`: plans a threaded brief in the channel (posted through the ledger), or says why not. */
  brief(request: BriefRequest): Promise<BriefAnswer>;
  /** A message in a thread; answered (through the ledger) when it asks for sources. Returns whether it was. */
  threadMessage(request: {
    platform: PlatformId;
    channelId: string;
    threadRef: string;
    text: string;
    userId: string;
    /** The platform's id of the message: a redelivered event is answered once. */
    requestId: string;
  }): Promise<boolean>;
  /**
   * The Sources button (one event) or `/sources [n]` (event n of the thread, or page n when the thread
   * has one event; all of the thread's events without n): plans the sources as a reply in the thread.
   */
  sources(request: {
    platform: PlatformId;
    channelId: string;
    threadRef: string;
    eventId: string | null;
    number: number | null;
    /** The platform's id of the click or command: a redelivered one is answered once. */
    requestId: string;
  }): Promise<boolean>;
}
