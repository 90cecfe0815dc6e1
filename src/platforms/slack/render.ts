/**
 * @module Pure: briefs as Slack Block Kit messages. A scheduled brief is a parent message with the
 * numbered headlines, then one thread reply per event (summary, what's disputed with numbered
 * source links, counts, a Sources button). Every message stays within Slack's limits: content too
 * long for one message is split into several, at sentence boundaries, never truncated mid-sentence.
 *
 * All feed-derived text goes through {@link escapeSlackText}, every mrkdwn object is `verbatim`
 * (Slack does not auto-link or parse mentions in it), and only http(s) URLs become links.
 */
import type { Briefing, DisputedPoint, EventBrief, SourceRef } from '../../core/types.ts';
import type { DeliveryContent } from '../chat-platform.ts';
import { dayLabel, eventSpan, plural, sourceNumber, uniqueSourceCount, utcTime } from '../present/labels.ts';
import { type DeliveryRenderer, renderDelivery } from '../present/render-delivery.ts';
import { NO_EVENTS_YET, NO_NEW_EVENTS, NO_SOURCES, nothingInTheNews, THE_LATEST_EVENTS, TRY_A_HEADLINE_WORD } from '../present/replies.ts';
import { clipAtWord, escapeSlackText, slackLink, splitAtSentences } from './text.ts';

export interface PlainTextObject {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}

export interface MrkdwnObject {
  type: 'mrkdwn';
  text: string;
  verbatim?: boolean;
}

export interface HeaderBlock {
  type: 'header';
  text: PlainTextObject;
  block_id?: string;
}

export interface SectionBlock {
  type: 'section';
  text: MrkdwnObject;
  fields?: MrkdwnObject[];
  block_id?: string;
}

export interface ContextBlock {
  type: 'context';
  elements: MrkdwnObject[];
  block_id?: string;
}

export interface DividerBlock {
  type: 'divider';
  block_id?: string;
}

export interface ButtonElement {
  type: 'button';
  text: PlainTextObject;
  action_id: string;
  value: string;
}

export interface ActionsBlock {
  type: 'actions';
  elements: ButtonElement[];
  block_id?: string;
}

/** The Block Kit blocks this module produces (structurally a subset of `@slack/types` KnownBlock). */
export type Block = HeaderBlock | SectionBlock | ContextBlock | DividerBlock | ActionsBlock;

/** One message to post: `text` is the plain, escaped notification / accessibility fallback. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** Slack's own limits. */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  sectionFields: 10,
  headerText: 150,
  buttonText: 75,
  contextElements: 10,
  fallbackText: 3000,
} as const;

/** Text characters per message: far under Slack's 40,000, and a readable amount for one message. */
export const MESSAGE_CHAR_BUDGET = 8000;

export const SOURCES_ACTION_ID = 'briefbot_sources';

const TITLE_MAX = 250;
const NAME_MAX = 120;
const TOPIC_MAX = 200;

// ---------------------------------------------------------------------------------------------
// Small builders

function mrkdwn(text: string): MrkdwnObject {
  return { type: 'mrkdwn', text, verbatim: true };
}

function section(text: string): SectionBlock {
  return { type: 'section', text: mrkdwn(text) };
}

function context(...texts: string[]): ContextBlock {
  return { type: 'context', elements: texts.slice(0, SLACK_LIMITS.contextElements).map(mrkdwn) };
}

function header(text: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: clipAtWord(text, SLACK_LIMITS.headerText), emoji: true } };
}

/** `*text*` for escaped text; an asterisk inside would end the bold early, so it becomes ∗. */
function bold(escaped: string): string {
  const inner = escaped.trim().replace(/\*/g, '∗');
  return inner ? `*${inner}*` : '';
}

function esc(s: string | null | undefined, max?: number): string {
  const e = escapeSlackText((s ?? '').replace(/\s+/g, ' ').trim());
  return max === undefined ? e : clipAtWord(e, max);
}

function eventTitle(ev: EventBrief): string {
  return esc(ev.title, TITLE_MAX) || 'Untitled event';
}

/** Lines or paragraphs packed into section texts of ≤ 3,000 characters; an over-long one is split at sentences. */
function sections(units: readonly string[], sep: string): SectionBlock[] {
  const max = SLACK_LIMITS.sectionText;
  const out: string[] = [];
  let current = '';
  for (const unit of units) {
    if (!unit.trim()) continue;
    for (const piece of unit.length > max ? splitAtSentences(unit, max) : [unit]) {
      if (current && current.length + sep.length + piece.length <= max) current += sep + piece;
      else {
        if (current) out.push(current);
        current = piece;
      }
    }
  }
  if (current) out.push(current);
  return out.map(section);
}

function statsLine(ev: EventBrief): string {
  const span = eventSpan(ev);
  return [plural(ev.articles, 'article'), plural(ev.independentSources, 'independent source'), span].filter(Boolean).join(' · ');
}

// ---------------------------------------------------------------------------------------------
// Packing blocks into messages

function blockChars(b: Block): number {
  switch (b.type) {
    case 'header':
      return b.text.text.length;
    case 'section':
      return b.text.text.length + (b.fields ?? []).reduce((n, f) => n + f.text.length, 0);
    case 'context':
      return b.elements.reduce((n, e) => n + e.text.length, 0);
    case 'actions':
      return b.elements.reduce((n, e) => n + e.text.text.length + e.value.length, 0);
    case 'divider':
      return 0;
  }
}

interface PackOptions {
  /** The fallback text of message `part` (0-based) of `count`: escaped, plain; clipped here to 3,000. */
  fallback: (part: number, count: number) => string;
  /** A block that must end the last message (a button). */
  trailer?: Block;
  /** A block that opens every message after the first ("… continued"). */
  continued?: (part: number, count: number) => Block;
}

/**
 * Blocks into messages of ≤ 50 blocks and ≤ {@link MESSAGE_CHAR_BUDGET} characters, in order; room
 * is kept in each message for the continuation line and the trailer, so the trailer always joins
 * the last message. Block boundaries are the only split points, so sentences split only where the
 * section builder split them (at sentence ends).
 */
function pack(blocks: readonly Block[], options: PackOptions): SlackMessage[] {
  const reserveBlocks = (options.trailer ? 1 : 0) + (options.continued ? 1 : 0);
  const reserveChars = (options.trailer ? blockChars(options.trailer) : 0) + (options.continued ? 400 : 0);
  const maxBlocks = SLACK_LIMITS.blocksPerMessage - reserveBlocks;
  const maxChars = MESSAGE_CHAR_BUDGET - reserveChars;
  const groups: Block[][] = [];
  let current: Block[] = [];
  let chars = 0;
  for (const b of blocks) {
    const size = blockChars(b);
    if (current.length && (current.length + 1 > maxBlocks || chars + size > maxChars)) {
      groups.push(current);
      current = [];
      chars = 0;
    }
    current.push(b);
    chars += size;
  }
  if (current.length || !groups.length) groups.push(current);
  const count = groups.length;
  return groups.map((group, part) => {
    const out = [...group];
    if (part > 0 && options.continued) out.unshift(options.continued(part, count));
    if (part === count - 1 && options.trailer) out.push(options.trailer);
    return { text: clipAtWord(options.fallback(part, count), SLACK_LIMITS.fallbackText), blocks: out };
  });
}

function continuedLine(label: string): (part: number, count: number) => Block {
  return (part, count) => context(`${label} · continued (${part + 1}/${count})`);
}

// ---------------------------------------------------------------------------------------------
// Headlines and sources

function headlineSections(events: readonly EventBrief[]): SectionBlock[] {
  return sections(
    events.map((ev, i) => `${i + 1}. ${eventTitle(ev)} — ${plural(ev.sources.length, 'source')}`),
    '\n',
  );
}

/** "[3] Outlet — <url|title> · 26 Apr 12:05 UTC · copy of another source". */
function sourceLine(s: SourceRef, n: number | null): string {
  const title = slackLink(s.url, clipAtWord((s.title ?? '').replace(/\s+/g, ' ').trim(), 300)) || 'untitled';
  const parts = [`${n === null ? '•' : `[${n}]`} ${esc(s.outlet, NAME_MAX) || 'unknown outlet'} — ${title}`];
  const time = utcTime(s.publishedAt);
  if (time) parts.push(time);
  if (!s.independent) parts.push('_copy of another source_');
  return parts.join(' · ');
}

/** `<url|[n]>`, n being the source's number in the event's own list (the Sources numbering). */
function sourceRef(sources: readonly SourceRef[], url: string): string {
  const n = sourceNumber(sources, url);
  return n > 0 ? slackLink(url, `[${n}]`) : slackLink(url, '[link]');
}

/** One unit per point: "• point", then "◦ *By*: claim [1][2]" per side. */
function disputedUnits(ev: EventBrief, points: readonly DisputedPoint[]): string[] {
  return points.map((d) => {
    const lines = [`• ${esc(d.point) || 'Disputed point'}`];
    for (const side of d.sides) {
      const refs = [...new Set(side.sources)].map((u) => sourceRef(ev.sources, u)).join('');
      const by = bold(esc(side.by, NAME_MAX)) || '_Unattributed_';
      lines.push(`      ◦ ${by}: ${esc(side.claim)}${refs ? ` ${refs}` : ''}`);
    }
    return lines.join('\n');
  });
}

function disputedSections(ev: EventBrief, points: readonly DisputedPoint[], heading: string): SectionBlock[] {
  const units = disputedUnits(ev, points);
  if (!units.length) return [];
  units[0] = `*${heading}*\n${units[0]}`;
  return sections(units, '\n');
}

// ---------------------------------------------------------------------------------------------
// Public renderers

export interface BriefingParentOptions {
  now: Date;
  /** IANA zone for the date in the header, e.g. "Europe/London"; an unknown zone falls back to UTC. */
  timezone: string;
  /** Replaces "News brief · Sun 26 Apr" (plain text, at most 150 characters); null or empty for that. */
  heading?: string | null;
}

/** The channel message of a scheduled brief: header, counts, and the numbered headlines (details go in thread replies). */
export function renderBriefingParent(briefing: Briefing, options: BriefingParentOptions): SlackMessage[] {
  const heading = clipAtWord(
    options.heading?.replace(/\s+/g, ' ').trim() || `News brief · ${dayLabel(options.now, options.timezone, 'en-GB')}`,
    150,
  );
  const events = briefing.events;
  const counts = `${plural(events.length, 'event')} · ${plural(uniqueSourceCount(events), 'source')}`;
  const blocks: Block[] = [header(heading), context(counts)];
  if (events.length) blocks.push(...headlineSections(events));
  else blocks.push(section(NO_NEW_EVENTS));
  const plainHeading = escapeSlackText(heading);
  return pack(blocks, {
    fallback: (part) => (part === 0 ? `${plainHeading}: ${counts}` : `${plainHeading} (continued)`),
    continued: continuedLine(plainHeading),
  });
}

export interface EventReplyOptions {
  /** Adds an actions block with a "Sources" button (`action_id: 'briefbot_sources'`, `value: event.id`). */
  sourcesButton: boolean;
}

/** One thread reply per event; long content becomes several messages, the button in the last. */
export function renderEventReply(event: EventBrief, index: number, options: EventReplyOptions): SlackMessage[] {
  const title = eventTitle(event);
  const blocks: Block[] = [section(bold(`${index}. ${title}`))];
  blocks.push(
    ...sections(
      event.summary.map((p) => esc(p)),
      '\n\n',
    ),
  );
  if (event.disputed.length) blocks.push(...disputedSections(event, event.disputed, "What's disputed"));
  else if (event.noDisputeNote?.trim()) blocks.push(...sections([`*What's disputed:* ${esc(event.noDisputeNote)}`], '\n'));
  blocks.push(context(statsLine(event)));
  const trailer: ActionsBlock | undefined = options.sourcesButton
    ? {
        type: 'actions',
        elements: [
          { type: 'button', text: { type: 'plain_text', text: 'Sources', emoji: true }, action_id: SOURCES_ACTION_ID, value: event.id },
        ],
      }
    : undefined;
  const label = `${index}. ${title}`;
  return pack(blocks, {
    fallback: (part) => (part === 0 ? `${label} — ${plural(event.sources.length, 'source')}` : `${label} (continued)`),
    continued: continuedLine(label),
    ...(trailer ? { trailer } : {}),
  });
}

export interface EventUpdateChanges {
  newSources: SourceRef[];
  newPoints: DisputedPoint[];
}

/** A thread reply saying what changed in an event: its new sources (as links) and new disputed points. */
export function renderEventUpdate(event: EventBrief, changes: EventUpdateChanges): SlackMessage[] {
  const title = eventTitle(event);
  const what = [
    changes.newSources.length ? plural(changes.newSources.length, 'new source') : '',
    changes.newPoints.length ? plural(changes.newPoints.length, 'new disputed point') : '',
  ].filter(Boolean);
  const headline = `Update: ${what.join(' · ') || 'no new sources'}`;
  const blocks: Block[] = [section(`*${headline}* — ${title}`)];
  const lines = changes.newSources.map((s) => {
    const n = event.sources.findIndex((e) => e.articleId === s.articleId || (s.url !== null && e.url === s.url)) + 1;
    return sourceLine(s, n > 0 ? n : null);
  });
  blocks.push(...sections(lines, '\n'));
  blocks.push(...disputedSections(event, changes.newPoints, 'Newly disputed'));
  blocks.push(context(statsLine(event)));
  return pack(blocks, {
    fallback: (part) => `${headline} — ${title}${part === 0 ? '' : ' (continued)'}`,
    continued: continuedLine(headline),
  });
}

export interface SourcesOptions {
  /** 1-based; clamped to the pages there are. */
  page?: number;
  /** Sources per page (default 15, at most 40). */
  pageSize?: number;
}

/**
 * The sources of one or more events, numbered as in the events' disputed-point links (each event
 * from [1]), marking copies, one page at a time ("page 2 of 3").
 */
export function renderSources(events: readonly EventBrief[], options: SourcesOptions = {}): SlackMessage[] {
  const pageSize = Math.min(40, Math.max(1, Math.floor(options.pageSize ?? 15)));
  const entries = events.flatMap((ev, e) => ev.sources.map((s, i) => ({ e, s, n: i + 1 })));
  const pages = Math.max(1, Math.ceil(entries.length / pageSize));
  const page = Math.min(pages, Math.max(1, Math.floor(options.page ?? 1)));
  const slice = entries.slice((page - 1) * pageSize, page * pageSize);
  const single = events.length === 1 ? events[0] : undefined;
  const heading = single ? `Sources · ${eventTitle(single)}` : `Sources · ${plural(events.length, 'event')}`;
  const blocks: Block[] = [section(bold(heading))];
  if (!slice.length) blocks.push(section(NO_SOURCES));
  let i = 0;
  while (i < slice.length) {
    const e = slice[i]?.e ?? 0;
    const group: string[] = [];
    for (; i < slice.length && slice[i]?.e === e; i++) {
      const entry = slice[i];
      if (entry) group.push(sourceLine(entry.s, entry.n));
    }
    const ev = events[e];
    if (!single && ev) group.unshift(`*${e + 1}.* ${bold(eventTitle(ev))}`);
    blocks.push(...sections(group, '\n'));
  }
  const pageNote = pages > 1 ? ` · page ${page} of ${pages}` : '';
  blocks.push(context(`${plural(entries.length, 'source')}${pageNote}`));
  const plainHeading = single ? `Sources for ${eventTitle(single)}` : `Sources for ${plural(events.length, 'event')}`;
  return pack(blocks, {
    fallback: (part) => `${plainHeading}${pages > 1 ? ` (page ${page} of ${pages})` : ''}${part === 0 ? '' : ' (continued)'}`,
    continued: continuedLine(`Sources${pageNote}`),
  });
}

export interface LatestEvent {
  id: string;
  title: string;
  lastPublishedAt: string;
  articles: number;
}

/** The reply when `/brief <topic>` finds nothing: says so, and lists the latest events instead. */
export function renderNoMatch(topic: string, latest: readonly LatestEvent[]): SlackMessage[] {
  const t = esc(topic, TOPIC_MAX);
  const said = nothingInTheNews(t);
  const blocks: Block[] = [section(latest.length ? `${said} ${THE_LATEST_EVENTS}` : `${said} ${NO_EVENTS_YET}`)];
  const lines = latest.map((ev) => {
    const when = utcTime(ev.lastPublishedAt);
    return `• ${esc(ev.title, TITLE_MAX) || 'Untitled event'} — ${plural(ev.articles, 'article')}${when ? ` · latest ${when}` : ''}`;
  });
  blocks.push(...sections(lines, '\n'));
  if (latest.length) blocks.push(context(TRY_A_HEADLINE_WORD));
  return pack(blocks, { fallback: (part) => `${said}${part === 0 ? '' : ' (continued)'}`, continued: continuedLine(said) });
}

/** The parent message of an on-demand brief (`/brief kursk`): "Brief on “kursk”: 2 events" and the headlines. */
export function renderOnDemandParent(topic: string, briefing: Briefing): SlackMessage[] {
  const t = esc(topic, TOPIC_MAX);
  const events = briefing.events;
  const title = `Brief on “${t}”: ${events.length ? plural(events.length, 'event') : 'no events'}`;
  const blocks: Block[] = [section(bold(title))];
  if (events.length) {
    blocks.push(context(plural(uniqueSourceCount(events), 'source')));
    blocks.push(...headlineSections(events));
  }
  return pack(blocks, {
    fallback: (part) => `${title}${part === 0 ? '' : ' (continued)'}`,
    continued: continuedLine(title),
  });
}

/** A plain notice as one message. */
function renderNotice(text: string): SlackMessage[] {
  return [{ text: escapeSlackText(text), blocks: [{ type: 'section', text: { type: 'mrkdwn', text: escapeSlackText(text) } }] }];
}

/** Slack's Block Kit for each kind of delivery. */
export const SLACK_RENDERER: DeliveryRenderer<SlackMessage[]> = {
  briefingParent: renderBriefingParent,
  onDemandParent: (topic, briefing) => renderOnDemandParent(topic, briefing),
  event: (event, index) => renderEventReply(event, index, { sourcesButton: true }),
  update: renderEventUpdate,
  sources: (events, page) => renderSources(events, { page }),
  noMatch: renderNoMatch,
  notice: renderNotice,
};

/** A delivery as the Slack messages that carry it. */
export function renderSlack(content: DeliveryContent): SlackMessage[] {
  return renderDelivery(content, SLACK_RENDERER);
}
