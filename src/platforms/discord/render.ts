/**
 * @module Pure: briefs → Discord message payloads (embeds and a Sources button), in the order the
 * terminal rendering uses: numbered title, summary, what's disputed with numbered source links,
 * counts. Every payload stays within Discord's limits by splitting (at sentence or line
 * boundaries) into more embeds and messages rather than truncating, and never pings anyone:
 * `allowedMentions.parse` is always empty and feed text goes through `escapeDiscordText`.
 */
import type { APIActionRowComponent, APIButtonComponent, APIEmbed, APIEmbedField, ButtonStyle, ComponentType } from 'discord-api-types/v10';
import type { Briefing, DisputedPoint, EventBrief, SourceRef } from '../../core/types.ts';
import type { DeliveryContent } from '../chat-platform.ts';
import { dayLabel, dayParts, plural, sourceNumber } from '../present/labels.ts';
import { type DeliveryRenderer, renderDelivery } from '../present/render-delivery.ts';
import {
  NO_NEW_EVENTS,
  NO_RECENT_MATCH,
  NO_RECENT_MATCH_NO_EVENTS,
  NO_SOURCES,
  nothingRecentOn,
  THE_LATEST_EVENTS,
} from '../present/replies.ts';
import { discordLink, escapeDiscordText, packLines, shortenLine, splitAtSentences } from './text.ts';

/** Discord's documented limits (characters; JS string length, which never undercounts). */
export const DISCORD_LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  /** Sum of title, description, field names and values, footer text and author name over all embeds of a message. */
  embedTotal: 6000,
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  threadName: 100,
} as const;

export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components?: APIActionRowComponent<APIButtonComponent>[];
  allowedMentions: { parse: [] };
}

export const SOURCES_BUTTON_PREFIX = 'briefbot_sources:';

/** Embed colour of briefs (Discord blurple). */
export const BRIEF_COLOR = 0x5865f2;
const UPDATE_COLOR = 0x57f287;
const NOTICE_COLOR = 0x99aab5;

/** Longest text put inside markup (bold names, link labels), so splitting never separates the markup. */
const MAX_LABEL = 256;

const ACTION_ROW: ComponentType.ActionRow = 1;
const BUTTON: ComponentType.Button = 2;
const SECONDARY: ButtonStyle.Secondary = 2;

export interface ParentOptions {
  now: Date;
  /** IANA time zone for the date in titles; an unknown zone falls back to UTC. */
  timezone: string;
  /** Replaces "News brief" in the title (null or empty for that). */
  heading?: string | null;
}

export interface EventMessageOptions {
  sourcesButton: boolean;
}

export interface EventUpdate {
  newSources: readonly SourceRef[];
  newPoints: readonly DisputedPoint[];
}

export interface SourcesOptions {
  /** 1-based; clamped to the pages there are. */
  page?: number;
  pageSize?: number;
}

export interface LatestEvent {
  id: string;
  title: string;
  lastPublishedAt: string;
  articles: number;
}

// ————————————————————————————————————————————————— helpers

function message(embeds: APIEmbed[]): DiscordMessage {
  return { embeds, allowedMentions: { parse: [] } };
}

/** Characters of an embed that count toward the 6,000 per message. */
export function embedTextLength(e: APIEmbed): number {
  let n = (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0);
  for (const f of e.fields ?? []) n += f.name.length + f.value.length;
  return n;
}

function validIso(iso: string | null | undefined): string | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** Discord renders `<t:…:f>` in each reader's own time zone and locale. */
function discordTime(iso: string, style: 'f' | 'R' = 'f'): string | null {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : `<t:${Math.floor(t / 1000)}:${style}>`;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** "Mon 26 Apr" in the given time zone. */
export function formatBriefDate(now: Date, timezone: string): string {
  return dayLabel(now, timezone, 'en-US');
}

export function sourcesButtonId(eventId: string): string | null {
  const id = `${SOURCES_BUTTON_PREFIX}${eventId}`;
  return id.length <= DISCORD_LIMITS.customId ? id : null;
}

function sourcesButton(eventId: string, label: string): APIButtonComponent | null {
  const custom_id = sourcesButtonId(eventId);
  if (!custom_id) return null;
  return { type: BUTTON, style: SECONDARY, label: shortenLine(label, DISCORD_LIMITS.buttonLabel), custom_id };
}

function buttonRows(buttons: readonly APIButtonComponent[]): APIActionRowComponent<APIButtonComponent>[] {
  const rows: APIActionRowComponent<APIButtonComponent>[] = [];
  for (let i = 0; i < buttons.length && rows.length < DISCORD_LIMITS.actionRows; i += DISCORD_LIMITS.buttonsPerRow) {
    rows.push({ type: ACTION_ROW, components: buttons.slice(i, i + DISCORD_LIMITS.buttonsPerRow) });
  }
  return rows;
}

/** An embed plus the title it gets when it opens a follow-up message without one of its own. */
interface EmbedPart {
  embed: APIEmbed;
  continuationTitle?: string;
}

/**
 * Embeds → messages of at most 10 embeds and 6,000 characters of embed text each, in order. Each
 * embed must already be within the per-embed limits (and 6,000 on its own).
 */
function packEmbeds(parts: readonly EmbedPart[]): DiscordMessage[] {
  const out: DiscordMessage[] = [];
  let current: APIEmbed[] = [];
  let total = 0;
  const flush = () => {
    if (current.length) out.push(message(current));
    current = [];
    total = 0;
  };
  for (const part of parts) {
    let embed = part.embed;
    let length = embedTextLength(embed);
    if (current.length && (current.length >= DISCORD_LIMITS.embedsPerMessage || total + length > DISCORD_LIMITS.embedTotal)) flush();
    const title = part.continuationTitle;
    if (current.length === 0 && out.length > 0 && !embed.title && title && length + title.length <= DISCORD_LIMITS.embedTotal) {
      embed = { title, ...embed };
      length += title.length;
    }
    current.push(embed);
    total += length;
  }
  flush();
  return out;
}

/** Paragraphs → description chunks for consecutive embeds. */
function descriptionChunks(paragraphs: ReadonlyArray<string | null | undefined>): string[] {
  const text = paragraphs.filter((p): p is string => Boolean(p?.trim())).join('\n\n');
  return splitAtSentences(text, DISCORD_LIMITS.embedDescription);
}

/**
 * Fields → embeds: the fields go after the last of `embeds` while it has room (25 fields, 6,000
 * characters with `reserve` kept for the footer), then into new embeds.
 */
function addFields(embeds: APIEmbed[], fields: readonly APIEmbedField[], base: Partial<APIEmbed>, reserve: number): void {
  for (const field of fields) {
    let last = embeds.at(-1);
    const room = (e: APIEmbed) =>
      (e.fields?.length ?? 0) < DISCORD_LIMITS.embedFields &&
      embedTextLength(e) + field.name.length + field.value.length + reserve <= DISCORD_LIMITS.embedTotal;
    if (!last || !room(last)) {
      last = { ...base };
      embeds.push(last);
    }
    last.fields = [...(last.fields ?? []), field];
  }
}

/** Fields for one label whose value may be long: continued fields, split at sentence / line boundaries. */
function longFields(name: string, lines: readonly string[]): APIEmbedField[] {
  const values = packLines(
    lines.filter((l) => l.trim()),
    DISCORD_LIMITS.fieldValue,
  );
  if (values.length === 0) values.push('—');
  const suffix = ' (continued)';
  const first = shortenLine(name, DISCORD_LIMITS.fieldName) || '—';
  const next = `${shortenLine(name, DISCORD_LIMITS.fieldName - suffix.length) || '—'}${suffix}`;
  return values.map((value, i) => ({ name: i === 0 ? first : next, value }));
}

/** "<title> (continued)" within the title limit, shortening the title (not the suffix) when needed. */
function continued(title: string): string {
  const suffix = ' (continued)';
  return `${shortenLine(title, DISCORD_LIMITS.embedTitle - suffix.length)}${suffix}`;
}

/** `**By**: claim [2](url) [5](url)`: the side's articles as links numbered as in the event's sources. */
export function renderSide(side: DisputedPoint['sides'][number], sources: readonly SourceRef[]): string {
  const refs = [...new Set(side.sources)].map((url) => {
    const n = sourceNumber(sources, url);
    return discordLink(url, n > 0 ? String(n) : 'source');
  });
  // Labels that wrap markup (bold, link text) are kept short enough never to be split.
  const by = shortenLine(escapeDiscordText(oneLine(side.by)), MAX_LABEL) || 'Unattributed';
  const claim = escapeDiscordText(oneLine(side.claim));
  return `**${by}**: ${claim}${refs.length ? ` ${refs.join(' ')}` : ''}`;
}

function disputeFields(points: readonly DisputedPoint[], sources: readonly SourceRef[]): APIEmbedField[] {
  return points.flatMap((d) =>
    longFields(
      escapeDiscordText(oneLine(d.point)) || 'Disputed point',
      d.sides.map((side) => renderSide(side, sources)),
    ),
  );
}

/** `**3.** Outlet — [Title](url) · time · copy of another source` */
export function renderSourceLine(source: SourceRef, n: number): string {
  const time = discordTime(source.publishedAt);
  const title = shortenLine(source.title, MAX_LABEL) || 'Untitled';
  return [
    `**${n}.** ${escapeDiscordText(oneLine(source.outlet)) || 'Unknown outlet'} — ${discordLink(source.url, title)}`,
    ...(time ? [time] : []),
    ...(source.independent ? [] : ['copy of another source']),
  ].join(' · ');
}

function eventFooter(ev: EventBrief): string {
  return `${plural(ev.articles, 'article')} · ${plural(ev.independentSources, 'independent source')}`;
}

/** The numbered, escaped title; when it had to be shortened the full title opens the description. */
function eventTitle(ev: EventBrief, index: number): { title: string; full: string; shortened: boolean } {
  const full = `${index}. ${escapeDiscordText(oneLine(ev.title)) || 'Untitled event'}`;
  const title = shortenLine(full, DISCORD_LIMITS.embedTitle);
  return { title, full: shortenLine(full, 4 * MAX_LABEL), shortened: title !== full };
}

/** One event as embeds: title, summary (continued over embeds), what's disputed, footer and timestamp on the last. */
function eventParts(ev: EventBrief, index: number): EmbedPart[] {
  const { title, full, shortened } = eventTitle(ev, index);
  const footer = eventFooter(ev);
  const summary = escapeDiscordText(ev.summary.map(oneLine).filter(Boolean).join(' '));
  const related = ev.relatedTo ? `_Follows earlier event ${escapeDiscordText(oneLine(ev.relatedTo))}_` : null;
  const heading = ev.disputed.length ? "**What's disputed**" : null;
  const base: APIEmbed = { color: BRIEF_COLOR };
  const embeds: APIEmbed[] = descriptionChunks([shortened ? `**${full}**` : null, summary, related, heading]).map((description) => ({
    ...base,
    description,
  }));
  if (embeds[0]) embeds[0] = { title, ...embeds[0] };
  else embeds.push({ title, ...base });
  const fields = ev.disputed.length
    ? disputeFields(ev.disputed, ev.sources)
    : ev.noDisputeNote
      ? longFields("What's disputed", splitAtSentences(escapeDiscordText(ev.noDisputeNote), DISCORD_LIMITS.fieldValue))
      : [];
  addFields(embeds, fields, base, footer.length);
  const last = embeds.at(-1) as APIEmbed;
  last.footer = { text: footer };
  const timestamp = validIso(ev.lastPublishedAt);
  if (timestamp) last.timestamp = timestamp;
  const continuationTitle = continued(full);
  return embeds.map((embed) => ({ embed, continuationTitle }));
}

// ————————————————————————————————————————————————— briefing parent, thread name

function countsLine(b: Briefing): string {
  const sources = new Set(b.events.flatMap((e) => e.sources.map((s) => s.articleId))).size;
  const failed = b.feeds.filter((f) => !f.ok).length;
  return [
    plural(b.events.length, 'event'),
    plural(sources, 'source'),
    ...(failed ? [`${failed} of ${plural(b.feeds.length, 'feed')} failed`] : []),
  ].join(' · ');
}

function headlineLine(ev: EventBrief, n: number): string {
  return `**${n}.** ${escapeDiscordText(oneLine(ev.title)) || 'Untitled event'} · ${plural(ev.sources.length, 'source')}`;
}

/** A title, the counts and the numbered headlines, continued over embeds and messages as needed. */
function overviewMessages(title: string, b: Briefing, empty: string, timestamp?: string): DiscordMessage[] {
  const lines = b.events.length ? [countsLine(b), '', ...b.events.map((e, i) => headlineLine(e, i + 1))] : [countsLine(b), '', empty];
  const blocks = packLines(lines, DISCORD_LIMITS.embedDescription).map((d) => d.trim());
  const embeds: APIEmbed[] = blocks.map((description, i) => ({
    ...(i === 0 ? { title } : {}),
    description,
    color: BRIEF_COLOR,
  }));
  const last = embeds.at(-1);
  if (last && timestamp) last.timestamp = timestamp;
  const continuationTitle = continued(title);
  return packEmbeds(embeds.map((embed) => ({ embed, continuationTitle })));
}

/** The message a brief's thread starts on: "News brief · Mon 26 Apr", the counts and the numbered headlines. */
export function renderBriefingParent(briefing: Briefing, options: ParentOptions): DiscordMessage[] {
  const heading = escapeDiscordText(oneLine(options.heading ?? '')) || 'News brief';
  const title = shortenLine(`${heading} · ${formatBriefDate(options.now, options.timezone)}`, DISCORD_LIMITS.embedTitle);
  return overviewMessages(title, briefing, NO_NEW_EVENTS, validIso(briefing.generatedAt));
}

/** "Brief · 26 Apr · 5 events" (plain text: thread names render no markdown), at most 100 characters. */
export function threadName(briefing: Briefing, options: Pick<ParentOptions, 'now' | 'timezone'>): string {
  const { day, month } = dayParts(options.now, options.timezone, 'en-US');
  return shortenLine(`Brief · ${day} ${month} · ${plural(briefing.events.length, 'event')}`, DISCORD_LIMITS.threadName);
}

// ————————————————————————————————————————————————— events

/** One event as the message(s) posted in the brief's thread; the Sources button goes on the last. */
export function renderEventMessage(event: EventBrief, index: number, options: EventMessageOptions): DiscordMessage[] {
  const messages = packEmbeds(eventParts(event, index));
  const button = options.sourcesButton ? sourcesButton(event.id, 'Sources') : null;
  const last = messages.at(-1);
  if (button && last) last.components = buttonRows([button]);
  return messages;
}

/** New sources and disputed points of an event already posted; no messages when there is nothing new. */
export function renderEventUpdate(event: EventBrief, update: EventUpdate): DiscordMessage[] {
  const { newSources, newPoints } = update;
  if (newSources.length === 0 && newPoints.length === 0) return [];
  const titleParts = [
    ...(newSources.length ? [`${plural(newSources.length, 'new source')}`] : []),
    ...(newPoints.length ? [`${plural(newPoints.length, 'new disputed point')}`] : []),
  ];
  const title = `Update: ${titleParts.join(' · ')}`;
  let extra = event.sources.length;
  const lines = newSources.map((s) => {
    const n = s.url ? sourceNumber(event.sources, s.url) : event.sources.findIndex((x) => x.articleId === s.articleId) + 1;
    return renderSourceLine(s, n > 0 ? n : ++extra);
  });
  const eventLine = `**${escapeDiscordText(oneLine(event.title)) || 'Untitled event'}**`;
  const blocks = packLines([eventLine, ...(lines.length ? ['', ...lines] : [])], DISCORD_LIMITS.embedDescription).map((d) => d.trim());
  const base: APIEmbed = { color: UPDATE_COLOR };
  const embeds: APIEmbed[] = blocks.map((description, i) => ({ ...(i === 0 ? { title } : {}), description, ...base }));
  const footer = eventFooter(event);
  addFields(embeds, disputeFields(newPoints, event.sources), base, footer.length);
  const last = embeds.at(-1) as APIEmbed;
  last.footer = { text: footer };
  const timestamp = validIso(event.lastPublishedAt);
  if (timestamp) last.timestamp = timestamp;
  const continuationTitle = continued(title);
  return packEmbeds(embeds.map((embed) => ({ embed, continuationTitle })));
}

// ————————————————————————————————————————————————— sources

export function sourcePageCount(events: readonly EventBrief[], pageSize = 10): number {
  const total = events.reduce((n, e) => n + e.sources.length, 0);
  return Math.max(1, Math.ceil(total / Math.max(1, Math.floor(pageSize))));
}

/**
 * The events' sources, numbered as the event messages cite them (per event), one page of
 * `pageSize` (default 10). With several events each gets a bold heading.
 */
export function renderSources(events: readonly EventBrief[], options: SourcesOptions = {}): DiscordMessage[] {
  const pageSize = Math.max(1, Math.floor(options.pageSize ?? 10));
  const items = events.flatMap((event, e) => event.sources.map((source, i) => ({ e, source, n: i + 1 })));
  const pages = sourcePageCount(events, pageSize);
  const page = Math.min(pages, Math.max(1, Math.floor(options.page ?? 1)));
  const slice = items.slice((page - 1) * pageSize, page * pageSize);
  const only = events.length === 1 ? events[0] : undefined;
  const title = only
    ? shortenLine(`Sources · ${escapeDiscordText(oneLine(only.title)) || 'Untitled event'}`, DISCORD_LIMITS.embedTitle)
    : 'Sources';
  const lines: string[] = [];
  let lastEvent = -1;
  for (const item of slice) {
    if (!only && item.e !== lastEvent) {
      const ev = events[item.e] as EventBrief;
      if (lines.length) lines.push('');
      lines.push(`**${escapeDiscordText(oneLine(ev.title)) || 'Untitled event'}**`);
      lastEvent = item.e;
    }
    lines.push(renderSourceLine(item.source, item.n));
  }
  if (lines.length === 0) lines.push(NO_SOURCES);
  const copies = items.filter((i) => !i.source.independent).length;
  const footer = [
    ...(pages > 1 ? [`Page ${page} of ${pages}`] : []),
    plural(items.length, 'source'),
    ...(copies ? [copies === 1 ? '1 copy of another source' : `${copies} copies of other sources`] : []),
  ].join(' · ');
  const blocks = packLines(lines, DISCORD_LIMITS.embedDescription).map((d) => d.trim());
  const embeds: APIEmbed[] = blocks.map((description, i) => ({ ...(i === 0 ? { title } : {}), description, color: NOTICE_COLOR }));
  (embeds.at(-1) as APIEmbed).footer = { text: footer };
  return packEmbeds(embeds.map((embed) => ({ embed, continuationTitle: continued(title) })));
}

// ————————————————————————————————————————————————— on demand

function topicLabel(topic: string, room: number): string {
  return shortenLine(escapeDiscordText(oneLine(topic)) || '(empty topic)', room);
}

/** `/brief <topic>` found nothing: says so and lists the latest events instead. */
export function renderNoMatch(topic: string, latest: readonly LatestEvent[]): DiscordMessage[] {
  const title = nothingRecentOn(topicLabel(topic, DISCORD_LIMITS.embedTitle - 20));
  const lines = latest.length
    ? [
        `${NO_RECENT_MATCH} ${THE_LATEST_EVENTS}`,
        '',
        ...latest.map((e, i) => {
          const time = discordTime(e.lastPublishedAt, 'R');
          return [
            `**${i + 1}.** ${escapeDiscordText(oneLine(e.title)) || 'Untitled event'}`,
            plural(e.articles, 'article'),
            ...(time ? [time] : []),
          ].join(' · ');
        }),
      ]
    : [NO_RECENT_MATCH_NO_EVENTS];
  const blocks = packLines(lines, DISCORD_LIMITS.embedDescription).map((d) => d.trim());
  const embeds: APIEmbed[] = blocks.map((description, i) => ({ ...(i === 0 ? { title } : {}), description, color: NOTICE_COLOR }));
  return packEmbeds(embeds.map((embed) => ({ embed })));
}

/** The message a `/brief <topic>` thread starts on: "Brief: topic", the counts and the numbered headlines. */
export function renderOnDemandParent(topic: string, briefing: Briefing): DiscordMessage[] {
  const title = `Brief: ${topicLabel(topic, DISCORD_LIMITS.embedTitle - 7)}`;
  return overviewMessages(title, briefing, NO_RECENT_MATCH, validIso(briefing.generatedAt));
}

/** A plain notice as one message. */
function renderNotice(text: string): DiscordMessage[] {
  return [{ content: escapeDiscordText(text).slice(0, DISCORD_LIMITS.content), embeds: [], allowedMentions: { parse: [] } }];
}

/** Discord's messages and embeds for each kind of delivery. */
export const DISCORD_RENDERER: DeliveryRenderer<DiscordMessage[]> = {
  briefingParent: renderBriefingParent,
  onDemandParent: (topic, briefing) => renderOnDemandParent(topic, briefing),
  event: (event, index) => renderEventMessage(event, index, { sourcesButton: true }),
  update: renderEventUpdate,
  sources: (events, page) => renderSources(events, { page }),
  noMatch: renderNoMatch,
  notice: renderNotice,
};

/** A delivery as the Discord messages that carry it. */
export function renderDiscord(content: DeliveryContent): DiscordMessage[] {
  return renderDelivery(content, DISCORD_RENDERER);
}
