/**
 * @module Slack adapter (@slack/bolt). Translates only: `/brief`, thread messages and the Sources button
 * become calls to the command handlers; platform-neutral deliveries become Block Kit messages. Every
 * message carries its delivery key in Slack message metadata, so after a crash the ledger can find what
 * already went out instead of posting it twice. Socket Mode by default, HTTP (signed requests) as an
 * option; `SLACK_API_URL` points the Web API client elsewhere (proxies, tests).
 */
import { App, type Logger as BoltLogger, HTTPReceiver, LogLevel, type ReceiverEvent } from '@slack/bolt';
import { ErrorCode, type WebAPICallError, WebClient } from '@slack/web-api';
import { errorMessage, PlatformError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import type { ChatPlatform, DeliveryContent, InboundHandlers, PostRequest, PostResult } from '../chat-platform.ts';
import {
  renderBriefingParent,
  renderEventReply,
  renderEventUpdate,
  renderNoMatch,
  renderOnDemandParent,
  renderSources,
  type SlackMessage,
} from './render-blocks.ts';
import { escapeSlackText } from './slack-text.ts';

export interface SlackConfig {
  botToken: string;
  appToken: string | undefined;
  signingSecret: string | undefined;
  apiUrl: string | undefined;
  mode: 'socket' | 'http';
  port: number;
}

export interface SlackPlatformOptions {
  /** Extra Web API client options (tests: no retries). */
  clientOptions?: { retryConfig?: { retries: number } };
  /** Where HTTP mode listens; 0 picks a free port (tests). */
  port?: number;
  now?: () => Date;
}

export interface SlackPlatform extends ChatPlatform {
  /** The HTTP mode server's port once started (tests send signed requests there). */
  readonly httpPort: number | null;
}

export const SOURCES_ACTION = 'briefbot_sources';
const METADATA_TYPE = 'briefbot_delivery';

/** Bolt's logger interface over ours (Bolt never sees tokens in what it logs, and we redact keys anyway). */
function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const text = (msgs: unknown[]) => msgs.map((m) => (typeof m === 'string' ? m : errorMessage(m))).join(' ');
  return {
    debug: (...m: unknown[]) => logger.debug(text(m)),
    info: (...m: unknown[]) => logger.info(text(m)),
    warn: (...m: unknown[]) => logger.warn(text(m)),
    error: (...m: unknown[]) => logger.error(text(m)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

export function renderSlack(content: DeliveryContent): SlackMessage[] {
  switch (content.kind) {
    case 'parent':
      return content.topic
        ? renderOnDemandParent(content.topic, content.briefing)
        : renderBriefingParent(content.briefing, {
            now: new Date(content.briefing.generatedAt),
            timezone: content.timezone,
            ...(content.heading ? { heading: content.heading } : {}),
          });
    case 'event':
      return renderEventReply(content.event, content.index, { sourcesButton: true });
    case 'update':
      return renderEventUpdate(content.event, { newSources: content.newSources, newPoints: content.newPoints });
    case 'sources':
      return renderSources(content.events, { page: content.page });
    case 'no_match':
      return renderNoMatch(content.topic, content.latest);
    case 'notice':
      return [
        {
          text: escapeSlackText(content.text),
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: escapeSlackText(content.text) } }],
        },
      ];
  }
}

/** A Slack Web API failure as a PlatformError: is it worth retrying, and when. */
export function toPlatformError(err: unknown): PlatformError {
  const e = err as Partial<WebAPICallError> & { code?: string };
  if (e.code === ErrorCode.RateLimitedError) {
    const retryAfter = (err as { retryAfter?: number }).retryAfter ?? 30;
    return new PlatformError('platform_rate_limited', `Slack rate limit: retry after ${retryAfter}s`, {
      retryable: true,
      retryAfterMs: retryAfter * 1000,
      cause: err,
    });
  }
  if (e.code === ErrorCode.PlatformError) {
    const code = (err as { data?: { error?: string } }).data?.error ?? 'unknown';
    const transient = [
      'ratelimited',
      'fatal_error',
      'internal_error',
      'service_unavailable',
      'request_timeout',
      'team_added_to_org',
    ].includes(code);
    return new PlatformError(transient ? 'platform_unavailable' : 'platform_rejected', `Slack refused the call: ${code}`, {
      retryable: transient,
      cause: err,
    });
  }
  if (e.code === ErrorCode.HTTPError) {
    const status = (err as { statusCode?: number }).statusCode ?? 0;
    const retryAfter = Number((err as { headers?: Record<string, string> }).headers?.['retry-after'] ?? Number.NaN);
    return new PlatformError('platform_unavailable', `Slack answered HTTP ${status}`, {
      retryable: status >= 500 || status === 429 || status === 408,
      ...(Number.isFinite(retryAfter) ? { retryAfterMs: retryAfter * 1000 } : {}),
      cause: err,
    });
  }
  return new PlatformError('platform_unavailable', `Slack unreachable: ${errorMessage(err)}`, { retryable: true, cause: err });
}

interface FoundMessage {
  ts: string;
  metadata?: { event_type?: string; event_payload?: { key?: unknown } };
}

/** Messages briefbot already posted for this delivery, by part key. */
async function findParts(
  client: WebClient,
  channel: string,
  threadRef: string | null,
  key: string,
  since: Date,
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const collect = (messages: FoundMessage[] | undefined) => {
    for (const m of messages ?? []) {
      const k = m.metadata?.event_type === METADATA_TYPE ? m.metadata.event_payload?.key : undefined;
      if (typeof k === 'string' && k.startsWith(`${key}#`)) found.set(k, m.ts);
    }
  };
  let cursor: string | undefined;
  for (let page = 0; page < 10; page++) {
    const res = threadRef
      ? await client.conversations.replies({
          channel,
          ts: threadRef,
          include_all_metadata: true,
          limit: 200,
          ...(cursor ? { cursor } : {}),
        })
      : await client.conversations.history({
          channel,
          oldest: String(Math.floor(since.getTime() / 1000) - 60),
          include_all_metadata: true,
          limit: 200,
          ...(cursor ? { cursor } : {}),
        });
    collect(res.messages as FoundMessage[] | undefined);
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!res.has_more || !cursor) break;
  }
  return found;
}

export function createSlackPlatform(config: SlackConfig, logger: Logger, options: SlackPlatformOptions = {}): SlackPlatform {
  const clientOptions = {
    // Our ledger retries with Retry-After; the client should not sit on a 429 for minutes.
    rejectRateLimitedCalls: true,
    retryConfig: options.clientOptions?.retryConfig ?? { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 5_000 },
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl.endsWith('/') ? config.apiUrl : `${config.apiUrl}/` } : {}),
  };
  // Posting needs no App: a plain Web API client, usable before (and whatever happens to) the inbound side.
  const client = new WebClient(config.botToken, { ...clientOptions, logger: boltLogger(logger) });
  const now = options.now ?? (() => new Date());
  let app: App | null = null;
  let httpPort: number | null = null;

  const postParts = async (request: PostRequest, inDoubt: boolean): Promise<PostResult> => {
    const parts = renderSlack(request.content);
    const existing = inDoubt
      ? await findParts(client, request.channelId, request.threadRef, request.key, new Date(now().getTime() - 2 * 86_400_000))
      : new Map();
    let first: string | null = existing.get(`${request.key}#0`) ?? null;
    for (const [i, part] of parts.entries()) {
      const partKey = `${request.key}#${i}`;
      if (existing.has(partKey)) continue;
      const thread = request.threadRef ?? (i > 0 ? first : null);
      const res = await client.chat.postMessage({
        channel: request.channelId,
        text: part.text,
        blocks: part.blocks,
        ...(thread ? { thread_ts: thread } : {}),
        metadata: { event_type: METADATA_TYPE, event_payload: { key: partKey } },
        unfurl_links: false,
        unfurl_media: false,
      });
      if (i === 0) first = res.ts ?? null;
    }
    if (!first) throw new PlatformError('platform_rejected', 'Slack did not return a message ts', { retryable: true });
    return { messageRef: first, threadRef: request.threadRef ?? first };
  };

  return {
    name: 'slack',
    get httpPort() {
      return httpPort;
    },
    async start(inbound: InboundHandlers) {
      // Who the bot is, asked once here so a wrong token fails at start with a clear message, and so Bolt
      // does not ask in the background (where a Slack outage at boot would be an unhandled rejection).
      let identity: { botId?: string; botUserId?: string } = {};
      try {
        const auth = await client.auth.test();
        identity = { ...(auth.bot_id ? { botId: auth.bot_id } : {}), ...(auth.user_id ? { botUserId: auth.user_id } : {}) };
        logger.info('slack token accepted', { team: auth.team, bot: auth.user });
      } catch (err) {
        const mapped = toPlatformError(err);
        if (!mapped.retryable)
          throw new PlatformError('platform_rejected', `Slack refused the bot token (SLACK_BOT_TOKEN): ${mapped.message}`, {
            retryable: false,
            cause: err,
          });
        logger.warn('slack unreachable at start; briefs are queued and posted once it is back', { error: mapped.message });
      }
      const receiver =
        config.mode === 'http'
          ? new HTTPReceiver({ signingSecret: config.signingSecret ?? '', endpoints: '/slack/events', logger: boltLogger(logger) })
          : undefined;
      app = new App({
        token: config.botToken,
        ...identity,
        tokenVerificationEnabled: false,
        logger: boltLogger(logger),
        clientOptions,
        ...(receiver ? { receiver } : { socketMode: true, appToken: config.appToken ?? '' }),
      });
      app.command('/brief', async ({ command, ack, respond }) => {
        // Acknowledged at once (Slack wants an answer within 3 s); the brief follows in the channel.
        await ack();
        try {
          const answer = await inbound.brief({
            platform: 'slack',
            channelId: command.channel_id,
            userId: command.user_id,
            topic: command.text ?? '',
          });
          if (answer.kind === 'planned') {
            await respond({
              response_type: 'ephemeral',
              text: `Posting a brief on “${escapeSlackText(command.text.trim())}” in this channel: ${answer.events} event${answer.events === 1 ? '' : 's'}.`,
            });
          } else {
            const topic = answer.kind === 'no_match' ? answer.topic : '';
            const [message] = renderSlack({ kind: 'no_match', topic, latest: answer.latest });
            await respond({ response_type: 'ephemeral', text: message?.text ?? 'Nothing matched.', blocks: message?.blocks ?? [] });
          }
        } catch (err) {
          logger.error('/brief failed', { error: errorMessage(err) });
          await respond({
            response_type: 'ephemeral',
            text: 'Sorry, the brief could not be prepared. Please try again in a minute.',
          }).catch(() => undefined);
        }
      });
      app.message(async ({ message }) => {
        const m = message as {
          subtype?: string;
          bot_id?: string;
          thread_ts?: string;
          ts?: string;
          text?: string;
          channel?: string;
          user?: string;
        };
        if (m.subtype || m.bot_id || !m.thread_ts || m.thread_ts === m.ts || !m.channel || !m.text) return;
        await inbound.threadMessage({
          platform: 'slack',
          channelId: m.channel,
          threadRef: m.thread_ts,
          text: m.text,
          userId: m.user ?? '',
          requestId: m.ts ?? `${m.thread_ts}:${m.text}`,
        });
      });
      app.action(SOURCES_ACTION, async ({ ack, body, action }) => {
        await ack();
        const b = body as {
          channel?: { id?: string };
          message?: { ts?: string; thread_ts?: string };
          container?: { channel_id?: string; message_ts?: string; thread_ts?: string };
        };
        const channelId = b.channel?.id ?? b.container?.channel_id;
        const threadRef = b.message?.thread_ts ?? b.container?.thread_ts ?? b.message?.ts ?? b.container?.message_ts;
        const a = action as { value?: string; action_ts?: string };
        const eventId = a.value ?? null;
        if (!channelId || !threadRef) return;
        const requestId = `${(body as { user?: { id?: string } }).user?.id ?? ''}:${a.action_ts ?? Date.now()}`;
        await inbound.sources({ platform: 'slack', channelId, threadRef, eventId, number: null, requestId });
      });
      app.error(async (err) => {
        logger.error('slack handler error', { error: errorMessage(err) });
      });
      if (receiver) {
        const server = (await app.start(options.port ?? config.port)) as unknown as { address(): { port: number } | string | null };
        const address = server.address();
        httpPort = typeof address === 'object' && address ? address.port : null;
        logger.info('slack app listening (HTTP mode)', { port: httpPort });
      } else {
        await app.start();
        logger.info('slack app connected (Socket Mode)');
      }
    },
    async stop() {
      await app?.stop().catch((err: unknown) => logger.warn('slack stop failed', { error: errorMessage(err) }));
    },
    async post(request, { inDoubt }) {
      try {
        return await postParts(request, inDoubt);
      } catch (err) {
        if (err instanceof PlatformError) throw err;
        const mapped = toPlatformError(err);
        // Not in a public channel yet: join it (channels:join) and try once more.
        if ((err as { data?: { error?: string } }).data?.error === 'not_in_channel') {
          try {
            await client.conversations.join({ channel: request.channelId });
            return await postParts(request, true);
          } catch (again) {
            throw toPlatformError(again);
          }
        }
        throw mapped;
      }
    },
  };
}

/** For tests: let a receiver event through Bolt as Slack would deliver it. */
export type { ReceiverEvent };
