/**
 * @module Slack adapter (@slack/bolt). Translates only: `/brief`, thread messages and the Sources button
 * become calls to the command handlers; platform-neutral deliveries become Block Kit messages. Every
 * message carries its delivery key in Slack message metadata, so after a crash the ledger can find what
 * already went out instead of posting it twice. Socket Mode by default, HTTP (signed requests) as an
 * option; `SLACK_API_URL` points the Web API client elsewhere (proxies, tests).
 */
import { App, type Logger as BoltLogger, HTTPReceiver, LogLevel, SocketModeReceiver } from '@slack/bolt';
import { ErrorCode, type WebAPICallError, WebClient } from '@slack/web-api';
import type { Config } from '../../config/load-config.ts';
import type { EventBrief } from '../../core/types.ts';
import { errorMessage, notDefinite, PlatformError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import type { ChatPlatform, DeliveryContent, InboundHandlers, PostRequest, PostResult } from '../chat-platform.ts';
import {
  type Block,
  renderBriefingParent,
  renderEventReply,
  renderEventUpdate,
  renderNoMatch,
  renderOnDemandParent,
  renderSources,
  type SlackMessage,
  SOURCES_ACTION_ID,
} from './render.ts';
import { escapeSlackText } from './text.ts';

/** The Slack settings of the config (tokens from the environment). */
export type SlackConfig = NonNullable<Config['slack']>;

export interface SlackPlatformOptions {
  /** Where HTTP mode listens; 0 picks a free port (tests). */
  port?: number;
  /** Give up on a Web API call after this long (default 30 s); the ledger retries. */
  timeoutMs?: number;
  /** First wait before a Socket Mode reconnect (default 5 s, doubling to a minute). */
  socketReconnectMs?: number;
  /** Socket Mode ping timeout (tests). */
  socketPingTimeoutMs?: number;
}

export interface SlackPlatform extends ChatPlatform {
  /** The HTTP mode server's port once started (tests send signed requests there). */
  readonly httpPort: number | null;
  /** HTTP mode: the address the app listens on (null before it listens). */
  readonly httpAddress: string | null;
}

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

/** Slack errors that mean the token or the app's install is wrong: a person must fix them. */
const AUTH_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'missing_scope',
  'no_permission',
  'ekm_access_denied',
]);
const TRANSIENT_ERRORS = new Set([
  'ratelimited',
  'fatal_error',
  'internal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

/** A Slack Web API failure as a PlatformError: is it worth retrying, when, and did Slack surely not post. */
export function toPlatformError(err: unknown): PlatformError {
  const e = err as Partial<WebAPICallError> & { code?: string };
  if (e.code === ErrorCode.RateLimitedError) {
    const retryAfter = (err as { retryAfter?: number }).retryAfter ?? 30;
    return new PlatformError('platform_rate_limited', `Slack rate limit: retry after ${retryAfter}s`, {
      retryable: true,
      definite: true,
      retryAfterMs: retryAfter * 1000,
      cause: err,
    });
  }
  if (e.code === ErrorCode.PlatformError) {
    const code = (err as { data?: { error?: string } }).data?.error ?? 'unknown';
    if (AUTH_ERRORS.has(code)) {
      return new PlatformError('platform_auth', `Slack refused the bot token or a scope is missing: ${code}`, {
        retryable: true,
        definite: true,
        cause: err,
      });
    }
    const transient = TRANSIENT_ERRORS.has(code);
    return new PlatformError(transient ? 'platform_unavailable' : 'platform_rejected', `Slack refused the call: ${code}`, {
      retryable: transient,
      definite: true,
      cause: err,
    });
  }
  if (e.code === ErrorCode.HTTPError) {
    const status = (err as { statusCode?: number }).statusCode ?? 0;
    const retryAfter = Number((err as { headers?: Record<string, string> }).headers?.['retry-after'] ?? Number.NaN);
    return new PlatformError(status === 429 ? 'platform_rate_limited' : 'platform_unavailable', `Slack answered HTTP ${status}`, {
      retryable: status >= 500 || status === 429 || status === 408,
      // A 5xx may come after the message was stored: check before posting again.
      definite: status < 500,
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

/**
 * Messages briefbot already posted for this delivery, by part key: top-level parts in the channel's
 * history since the in-doubt attempt started, the other parts in the thread they went to.
 */
async function findParts(
  client: WebClient,
  channel: string,
  threadRef: string | null,
  key: string,
  since: Date,
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const oldest = String(Math.floor(since.getTime() / 1000) - 300);
  const collect = (messages: FoundMessage[] | undefined) => {
    for (const m of messages ?? []) {
      const k = m.metadata?.event_type === METADATA_TYPE ? m.metadata.event_payload?.key : undefined;
      if (typeof k === 'string' && k.startsWith(`${key}#`)) found.set(k, m.ts);
    }
  };
  const scan = async (thread: string | null) => {
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const args = { channel, oldest, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) };
      const res = thread ? await client.conversations.replies({ ...args, ts: thread }) : await client.conversations.history(args);
      collect(res.messages as FoundMessage[] | undefined);
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!res.has_more || !cursor) break;
    }
  };
  await scan(threadRef);
  const first = found.get(`${key}#0`);
  // A long top-level message continues in its own thread.
  if (!threadRef && first) await scan(first);
  return found;
}

export function createSlackPlatform(config: SlackConfig, logger: Logger, options: SlackPlatformOptions = {}): SlackPlatform {
  const apiOptions = config.apiUrl ? { slackApiUrl: config.apiUrl.endsWith('/') ? config.apiUrl : `${config.apiUrl}/` } : {};
  // Posting needs no App: a plain Web API client, usable before (and whatever happens to) the inbound
  // side. It never retries by itself: a retry that follows a lost answer could post twice, so retries
  // go through the ledger, which checks first. Rate limits come back at once with their Retry-After.
  const client = new WebClient(config.botToken, {
    ...apiOptions,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: options.timeoutMs ?? 30_000,
    logger: boltLogger(logger),
  });
  const socketCheckMs = options.socketReconnectMs ?? 5_000;
  let app: App | null = null;
  let socket: SocketModeReceiver | null = null;
  let httpPort: number | null = null;
  let httpAddress: string | null = null;
  let stopping = false;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let reconnectFailures = 0;
  let socketUp = false;
  /** A start or reconnect in progress: stop() waits for it, then disconnects what it opened. */
  let connecting: Promise<unknown> | null = null;

  const postParts = async (request: PostRequest, since: Date | null): Promise<PostResult> => {
    const parts = renderSlack(request.content);
    const existing = since ? await findParts(client, request.channelId, request.threadRef, request.key, since) : new Map<string, string>();
    let first: string | null = existing.get(`${request.key}#0`) ?? null;
    let postedSome = false;
    for (const [i, part] of parts.entries()) {
      const partKey = `${request.key}#${i}`;
      if (existing.has(partKey)) continue;
      const thread = request.threadRef ?? (i > 0 ? first : null);
      const res = await client.chat
        .postMessage({
          channel: request.channelId,
          text: part.text,
          blocks: part.blocks,
          ...(thread ? { thread_ts: thread } : {}),
          metadata: { event_type: METADATA_TYPE, event_payload: { key: partKey } },
          unfurl_links: false,
          unfurl_media: false,
        })
        .catch((err: unknown) => {
          // Some parts are out: the retry must look before it posts, whatever this failure says.
          const mapped = toPlatformError(err);
          throw postedSome ? notDefinite(mapped) : err;
        });
      postedSome = true;
      if (i === 0) first = res.ts ?? null;
    }
    if (!first) throw new PlatformError('platform_rejected', 'Slack did not return a message ts', { retryable: true });
    return { messageRef: first, threadRef: request.threadRef ?? first };
  };

  /**
   * Socket Mode reconnects are ours, not the library's: its own loop gives up (with an unhandled
   * rejection) when Slack cannot be reached at the moment of reconnecting. Ours backs off and keeps trying.
   */
  const scheduleReconnect = () => {
    if (stopping || reconnectTimer || !socket) return;
    // A routine refresh reconnects at once; failures back off, doubling up to a minute.
    const wait = reconnectFailures === 0 ? 0 : Math.min(60_000, socketCheckMs * 2 ** Math.min(reconnectFailures - 1, 6));
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      if (stopping || !socket) return;
      const client = socket.client;
      const attempt = client.start().then(
        () => {
          // Stopped meanwhile: close what was just opened.
          if (stopping) return client.disconnect();
          reconnectFailures = 0;
          logger.info('slack Socket Mode reconnected');
          return undefined;
        },
        (err: unknown) => {
          reconnectFailures++;
          logger.warn('slack Socket Mode reconnect failed; trying again', { error: errorMessage(err), failures: reconnectFailures });
          scheduleReconnect();
        },
      );
      connecting = attempt.finally(() => {
        if (connecting === attempt) connecting = null;
      });
    }, wait);
    reconnectTimer.unref();
  };

  /**
   * Whether the bot can post in a conversation: a public channel it can join, or any channel it is a
   * member of. A private channel or a DM it is not in is invisible to it (channel_not_found).
   */
  const reach = async (channelId: string): Promise<'postable' | 'not_member'> => {
    try {
      const info = (await client.conversations.info({ channel: channelId })) as {
        channel?: { is_member?: boolean; is_private?: boolean; is_im?: boolean; is_mpim?: boolean };
      };
      const c = info.channel ?? {};
      if (c.is_member) return 'postable';
      return c.is_private || c.is_im || c.is_mpim ? 'not_member' : 'postable';
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error;
      if (code === 'channel_not_found' || code === 'method_not_supported_for_channel_type') return 'not_member';
      // Slack cannot be asked just now: plan the brief as usual; the ledger retries.
      return 'postable';
    }
  };

  const buildApp = (inbound: InboundHandlers, identity: { botId?: string; botUserId?: string }): App => {
    const boltLog = boltLogger(logger);
    const receiver =
      config.mode === 'http'
        ? new HTTPReceiver({ signingSecret: config.signingSecret ?? '', endpoints: '/slack/events', logger: boltLog })
        : new SocketModeReceiver({
            appToken: config.appToken ?? '',
            logger: boltLog,
            autoReconnectEnabled: false,
            // Its own client (apps.connections.open): a few quick retries, then our reconnect loop takes over.
            installerOptions: {
              clientOptions: { ...apiOptions, timeout: 15_000, retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2_000 } },
            },
            ...(options.socketPingTimeoutMs ? { clientPingTimeout: options.socketPingTimeoutMs } : {}),
          });
    if (receiver instanceof SocketModeReceiver) {
      socket = receiver;
      receiver.client.on('connected', () => {
        socketUp = true;
      });
      for (const state of ['disconnecting', 'reconnecting']) {
        receiver.client.on(state, () => {
          socketUp = false;
        });
      }
      receiver.client.on('disconnected', () => {
        socketUp = false;
        if (!stopping) {
          logger.warn('slack Socket Mode disconnected; reconnecting');
          scheduleReconnect();
        }
      });
    }
    const built = new App({
      token: config.botToken,
      ...identity,
      tokenVerificationEnabled: false,
      logger: boltLog,
      clientOptions: { ...apiOptions, rejectRateLimitedCalls: true },
      receiver,
      ...(config.mode === 'http' ? {} : { socketMode: true }),
    });
    built.command('/brief', async ({ command, ack, respond }) => {
      // Acknowledged at once (Slack wants an answer within 3 s); the brief follows in the channel.
      await ack();
      const topic = command.text.trim();
      try {
        const where = await reach(command.channel_id);
        const answer = await inbound.brief({
          platform: 'slack',
          channelId: command.channel_id,
          userId: command.user_id,
          topic,
          deliver: where === 'postable',
        });
        if (answer.kind === 'preview') {
          // Not ours to post in (a private channel or a DM the bot is not in): the brief, for the asker alone.
          const text = `I can't post in this conversation — I'm not a member of it. Here is the brief on “${escapeSlackText(topic)}”, visible only to you; invite me (\`/invite @briefbot\`) to post briefs here for everyone.`;
          await respond({
            response_type: 'ephemeral',
            text,
            blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }, ...previewBlocks(answer.events)],
          });
          return;
        }
        if (answer.kind === 'planned') {
          const what = `${answer.events} event${answer.events === 1 ? '' : 's'}`;
          await respond({
            response_type: 'ephemeral',
            text: answer.fresh
              ? `Posting a brief on “${escapeSlackText(topic)}” in this channel: ${what}.`
              : `A brief on “${escapeSlackText(topic)}” (${what}) was posted in this channel a moment ago.`,
          });
        } else {
          const [message] = renderSlack({ kind: 'no_match', topic: answer.kind === 'no_match' ? answer.topic : '', latest: answer.latest });
          const hint = answer.kind === 'empty_topic' ? 'Tell me what about: `/brief kursk`, `/brief election`. ' : '';
          await respond({
            response_type: 'ephemeral',
            text: `${hint}${message?.text ?? 'Nothing matched.'}`,
            blocks: message?.blocks ?? [],
          });
        }
      } catch (err) {
        logger.error('/brief failed', { error: errorMessage(err) });
        await respond({ response_type: 'ephemeral', text: 'Sorry, the brief could not be prepared. Please try again in a minute.' }).catch(
          () => undefined,
        );
      }
    });
    built.message(async ({ message }) => {
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
      try {
        await inbound.threadMessage({
          platform: 'slack',
          channelId: m.channel,
          threadRef: m.thread_ts,
          text: m.text,
          userId: m.user ?? '',
          requestId: m.ts ?? `${m.thread_ts}:${m.text}`,
        });
      } catch (err) {
        logger.error('slack thread message failed', { error: errorMessage(err) });
      }
    });
    built.action(SOURCES_ACTION_ID, async ({ ack, body, action }) => {
      await ack();
      const b = body as {
        user?: { id?: string };
        channel?: { id?: string };
        message?: { ts?: string; thread_ts?: string };
        container?: { channel_id?: string; message_ts?: string; thread_ts?: string };
      };
      const channelId = b.channel?.id ?? b.container?.channel_id;
      const threadRef = b.message?.thread_ts ?? b.container?.thread_ts ?? b.message?.ts ?? b.container?.message_ts;
      const a = action as { value?: string; action_ts?: string };
      if (!channelId || !threadRef) return;
      try {
        await inbound.sources({
          platform: 'slack',
          channelId,
          threadRef,
          eventId: a.value ?? null,
          number: null,
          requestId: `${b.user?.id ?? ''}:${a.action_ts ?? threadRef}`,
        });
      } catch (err) {
        logger.error('slack sources button failed', { error: errorMessage(err) });
      }
    });
    built.error(async (err) => {
      logger.error('slack handler error', { error: errorMessage(err) });
    });
    return built;
  };

  return {
    name: 'slack',
    get httpPort() {
      return httpPort;
    },
    get httpAddress() {
      return httpAddress;
    },
    connected: () => (config.mode === 'http' ? httpPort !== null : socketUp),
    async start(inbound: InboundHandlers) {
      if (stopping) return;
      if (!app) {
        // Who the bot is, asked here so a wrong token fails at start with a clear message, and so Bolt
        // does not ask in the background (where a Slack outage at boot would be an unhandled rejection).
        let auth: Awaited<ReturnType<WebClient['auth']['test']>>;
        try {
          auth = await client.auth.test();
        } catch (err) {
          const mapped = toPlatformError(err);
          if (mapped.code === 'platform_auth' || !mapped.retryable) {
            throw new PlatformError('platform_auth', `Slack refused the bot token (SLACK_BOT_TOKEN): ${mapped.message}`, {
              retryable: false,
              cause: err,
            });
          }
          throw mapped;
        }
        logger.info('slack token accepted', { team: auth.team, bot: auth.user });
        app = buildApp(inbound, { ...(auth.bot_id ? { botId: auth.bot_id } : {}), ...(auth.user_id ? { botUserId: auth.user_id } : {}) });
      }
      const started = app;
      try {
        if (config.mode === 'http') {
          const server = (await started.start({ port: options.port ?? config.port, host: config.host })) as unknown as {
            address(): { port: number; address: string } | string | null;
          };
          const address = server.address();
          httpPort = typeof address === 'object' && address ? address.port : null;
          httpAddress = typeof address === 'object' && address ? address.address : null;
          logger.info('slack app listening (HTTP mode)', { host: config.host, port: httpPort });
        } else {
          const attempt = started.start();
          connecting = attempt;
          await attempt;
          logger.info('slack app connected (Socket Mode)');
        }
      } catch (err) {
        const e = err as { data?: { error?: string } };
        if (e.data?.error && AUTH_ERRORS.has(e.data.error)) {
          throw new PlatformError('platform_auth', `Slack refused the app-level token (SLACK_APP_TOKEN): ${e.data.error}`, {
            retryable: false,
            cause: err,
          });
        }
        throw toPlatformError(err);
      }
    },
    async stop() {
      stopping = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = null;
      // A connection being opened right now is closed too, once it is open (not waiting long for it).
      if (connecting) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([connecting.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, 5_000)))]);
        clearTimeout(timer);
      }
      await app?.stop().catch((err: unknown) => logger.warn('slack stop failed', { error: errorMessage(err) }));
      socketUp = false;
    },
    async post(request, { inDoubt, since }) {
      // An attempt whose outcome is unknown: look for it from when it started (or, if that is not known, two days back).
      const lookFrom = inDoubt ? new Date(since ? Date.parse(since) : Date.now() - 2 * 86_400_000) : null;
      try {
        return await postParts(request, lookFrom);
      } catch (err) {
        if (err instanceof PlatformError) throw err;
        // Not in a public channel yet: join it (channels:join) and try once more.
        if ((err as { data?: { error?: string } }).data?.error === 'not_in_channel') {
          try {
            await client.conversations.join({ channel: request.channelId });
            return await postParts(request, lookFrom);
          } catch (again) {
            throw toPlatformError(again);
          }
        }
        throw toPlatformError(err);
      }
    },
  };
}

/** The brief as blocks for one ephemeral answer: the headlines, then each event, within Slack's block limit. */
function previewBlocks(events: readonly EventBrief[]): Block[] {
  const out: Block[] = [];
  events.forEach((event, i) => {
    for (const m of renderEventReply(event, i + 1, { sourcesButton: false })) out.push(...m.blocks);
  });
  return out.filter((b) => b.type !== 'actions').slice(0, 45);
}
