/**
 * @module Slack connection: the Bolt App that receives commands, over Socket Mode (the default) or
 * HTTP (signed requests). It checks the bot token at start, listens or connects, reconnects Socket
 * Mode itself (backing off while Slack cannot be reached), tells whether it is connected, and stops.
 */
import { App, type Logger as BoltLogger, HTTPReceiver, LogLevel, SocketModeReceiver } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Config } from '../../config/load-config.ts';
import { errorMessage } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import { appStartError, botTokenError } from './errors.ts';

/** The Slack settings of the config (tokens from the environment). */
export type SlackConfig = NonNullable<Config['slack']>;

export interface SlackConnectionOptions {
  /** Where HTTP mode listens; 0 picks a free port (tests). */
  port?: number;
  /** First wait before a Socket Mode reconnect (default 5 s, doubling to a minute). */
  socketReconnectMs?: number;
  /** Socket Mode ping timeout (tests). */
  socketPingTimeoutMs?: number;
}

/** Web API client options: where the API is (`SLACK_API_URL` for proxies and tests). */
export type SlackApiOptions = { slackApiUrl?: string };

/** The client options pointing at `config.apiUrl`, when set. */
export function slackApiOptions(config: SlackConfig): SlackApiOptions {
  return config.apiUrl ? { slackApiUrl: config.apiUrl.endsWith('/') ? config.apiUrl : `${config.apiUrl}/` } : {};
}

/** Bolt's logger interface over ours (Bolt never sees tokens in what it logs, and we redact keys anyway). */
export function boltLogger(logger: Logger): BoltLogger {
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

export interface SlackConnection {
  /** The HTTP mode server's port once started. */
  readonly httpPort: number | null;
  /** HTTP mode: the address the app listens on (null before it listens). */
  readonly httpAddress: string | null;
  connected(): boolean;
  /** Checks the bot token and builds the app (once; `register` adds the handlers), then listens or connects. */
  start(register: (app: App) => void): Promise<void>;
  stop(): Promise<void>;
}

/** The connection's state, shared by its named parts below. */
interface ConnectionState {
  app: App | null;
  socket: SocketModeReceiver | null;
  httpPort: number | null;
  httpAddress: string | null;
  stopping: boolean;
  reconnectTimer: NodeJS.Timeout | null;
  reconnectFailures: number;
  socketUp: boolean;
  /** A start or reconnect in progress: stop() waits for it, then disconnects what it opened. */
  connecting: Promise<unknown> | null;
}

/**
 * Socket Mode reconnects are ours, not the library's: its own loop gives up (with an unhandled
 * rejection) when Slack cannot be reached at the moment of reconnecting. Ours backs off and keeps trying.
 */
function scheduleReconnect(state: ConnectionState, logger: Logger, socketCheckMs: number): void {
  if (state.stopping || state.reconnectTimer || !state.socket) return;
  // A routine refresh reconnects at once; failures back off, doubling up to a minute.
  const wait = state.reconnectFailures === 0 ? 0 : Math.min(60_000, socketCheckMs * 2 ** Math.min(state.reconnectFailures - 1, 6));
  state.reconnectTimer = setTimeout(() => {
    state.reconnectTimer = null;
    if (state.stopping || !state.socket) return;
    const client = state.socket.client;
    const attempt = client.start().then(
      () => {
        // Stopped meanwhile: close what was just opened.
        if (state.stopping) return client.disconnect();
        state.reconnectFailures = 0;
        logger.info('slack Socket Mode reconnected');
        return undefined;
      },
      (err: unknown) => {
        state.reconnectFailures++;
        logger.warn('slack Socket Mode reconnect failed; trying again', { error: errorMessage(err), failures: state.reconnectFailures });
        scheduleReconnect(state, logger, socketCheckMs);
      },
    );
    state.connecting = attempt.finally(() => {
      if (state.connecting === attempt) state.connecting = null;
    });
  }, wait);
  state.reconnectTimer.unref();
}

/** The Socket Mode receiver, its connection state followed and its drops reconnected. */
function socketReceiver(
  config: SlackConfig,
  options: SlackConnectionOptions,
  state: ConnectionState,
  logger: Logger,
  boltLog: BoltLogger,
): SocketModeReceiver {
  const receiver = new SocketModeReceiver({
    appToken: config.appToken ?? '',
    logger: boltLog,
    autoReconnectEnabled: false,
    // Its own client (apps.connections.open): a few quick retries, then our reconnect loop takes over.
    installerOptions: {
      clientOptions: {
        ...slackApiOptions(config),
        timeout: 15_000,
        retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2_000 },
      },
    },
    ...(options.socketPingTimeoutMs ? { clientPingTimeout: options.socketPingTimeoutMs } : {}),
  });
  state.socket = receiver;
  receiver.client.on('connected', () => {
    state.socketUp = true;
  });
  for (const event of ['disconnecting', 'reconnecting']) {
    receiver.client.on(event, () => {
      state.socketUp = false;
    });
  }
  receiver.client.on('disconnected', () => {
    state.socketUp = false;
    if (!state.stopping) {
      logger.warn('slack Socket Mode disconnected; reconnecting');
      scheduleReconnect(state, logger, options.socketReconnectMs ?? 5_000);
    }
  });
  return receiver;
}

/** The Bolt App on the configured receiver, knowing who the bot is. */
function buildApp(
  config: SlackConfig,
  options: SlackConnectionOptions,
  state: ConnectionState,
  logger: Logger,
  identity: { botId?: string; botUserId?: string },
): App {
  const boltLog = boltLogger(logger);
  const receiver =
    config.mode === 'http'
      ? new HTTPReceiver({ signingSecret: config.signingSecret ?? '', endpoints: '/slack/events', logger: boltLog })
      : socketReceiver(config, options, state, logger, boltLog);
  return new App({
    token: config.botToken,
    ...identity,
    tokenVerificationEnabled: false,
    logger: boltLog,
    clientOptions: { ...slackApiOptions(config), rejectRateLimitedCalls: true },
    receiver,
    ...(config.mode === 'http' ? {} : { socketMode: true }),
  });
}

/**
 * Who the bot is, asked at start so a wrong token fails with a clear message, and so Bolt does not ask
 * in the background (where a Slack outage at boot would be an unhandled rejection).
 */
async function botIdentity(client: WebClient, logger: Logger): Promise<{ botId?: string; botUserId?: string }> {
  let auth: Awaited<ReturnType<WebClient['auth']['test']>>;
  try {
    auth = await client.auth.test();
  } catch (err) {
    throw botTokenError(err);
  }
  logger.info('slack token accepted', { team: auth.team, bot: auth.user });
  return { ...(auth.bot_id ? { botId: auth.bot_id } : {}), ...(auth.user_id ? { botUserId: auth.user_id } : {}) };
}

/** Starts the built app: listens (HTTP mode) or connects (Socket Mode). */
async function listenOrConnect(app: App, config: SlackConfig, options: SlackConnectionOptions, state: ConnectionState, logger: Logger) {
  try {
    if (config.mode === 'http') {
      const server = (await app.start({ port: options.port ?? config.port, host: config.host })) as unknown as {
        address(): { port: number; address: string } | string | null;
      };
      const address = server.address();
      state.httpPort = typeof address === 'object' && address ? address.port : null;
      state.httpAddress = typeof address === 'object' && address ? address.address : null;
      logger.info('slack app listening (HTTP mode)', { host: config.host, port: state.httpPort });
    } else {
      const attempt = app.start();
      state.connecting = attempt;
      await attempt;
      logger.info('slack app connected (Socket Mode)');
    }
  } catch (err) {
    throw appStartError(err);
  }
}

/** The connection of one Slack app; `client` is the posting Web API client (used here for auth.test). */
export function createSlackConnection(
  config: SlackConfig,
  logger: Logger,
  options: SlackConnectionOptions,
  client: WebClient,
): SlackConnection {
  const state: ConnectionState = {
    app: null,
    socket: null,
    httpPort: null,
    httpAddress: null,
    stopping: false,
    reconnectTimer: null,
    reconnectFailures: 0,
    socketUp: false,
    connecting: null,
  };
  return {
    get httpPort() {
      return state.httpPort;
    },
    get httpAddress() {
      return state.httpAddress;
    },
    connected: () => (config.mode === 'http' ? state.httpPort !== null : state.socketUp),
    async start(register) {
      if (state.stopping) return;
      if (!state.app) {
        const identity = await botIdentity(client, logger);
        state.app = buildApp(config, options, state, logger, identity);
        register(state.app);
      }
      await listenOrConnect(state.app, config, options, state, logger);
    },
    async stop() {
      state.stopping = true;
      if (state.reconnectTimer) clearTimeout(state.reconnectTimer);
      state.reconnectTimer = null;
      // A connection being opened right now is closed too, once it is open (not waiting long for it).
      const connecting = state.connecting;
      if (connecting !== null) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([connecting.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, 5_000)))]);
        clearTimeout(timer);
      }
      await state.app?.stop().catch((err: unknown) => logger.warn('slack stop failed', { error: errorMessage(err) }));
      state.socketUp = false;
    },
  };
}
