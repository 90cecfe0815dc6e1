/**
 * @module Discord connection: the discord.js client (only the intents that are used, no retries
 * inside it: the ledger retries, looking first), logging in to the gateway and waiting for READY,
 * following the gateway's state for connected(), and stopping.
 */
import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { Config } from '../../config/load-config.ts';
import { errorMessage } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import { loginError } from './errors.ts';

/** The Discord settings of the config (`messageContent`: read "sources" typed in threads, a privileged intent). */
export type DiscordConfig = NonNullable<Config['discord']>;

export interface DiscordConnectionOptions {
  /** REST retries inside discord.js (default none: the ledger retries, looking first). */
  restRetries?: number;
  /** How long to wait for the gateway's READY at start (default 30 s); then start is retried. */
  readyTimeoutMs?: number;
}

export interface DiscordConnection {
  connected(): boolean;
  /** Logs in and waits for READY; `register` adds the inbound listeners (once, at the first start). */
  start(register: () => void): Promise<void>;
  /** Leaves the gateway but keeps posting over REST (another instance holds the gateway now). */
  disconnect(): Promise<void>;
  stop(): Promise<void>;
}

/** The client: guilds and channels (Guilds); thread messages only when they are read at all. Posting uses its REST side. */
export function createDiscordClient(config: DiscordConfig, options: DiscordConnectionOptions): Client {
  const intents = [GatewayIntentBits.Guilds];
  if (config.messageContent) intents.push(GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent);
  const client = new Client({
    intents,
    allowedMentions: { parse: [] },
    // No retries inside the client: a retried thread or forum post could be made twice. The ledger retries, looking first.
    rest: { retries: options.restRetries ?? 0, ...(config.apiUrl ? { api: config.apiUrl.replace(/\/+$/, '') } : {}) },
  });
  // Posting uses REST only: it works before (and whatever happens to) the gateway connection.
  client.rest.setToken(config.token);
  return client;
}

/** Follows the gateway: up on READY and RESUME, down on a disconnect or while reconnecting. */
function followGateway(client: Client, logger: Logger, setUp: (up: boolean) => void): void {
  client.on(Events.ShardDisconnect, (event) => {
    setUp(false);
    logger.warn('discord gateway disconnected', { code: event.code });
  });
  client.on(Events.ShardReconnecting, () => {
    setUp(false);
  });
  client.on(Events.ShardResume, () => {
    setUp(true);
    logger.info('discord gateway resumed');
  });
  client.on(Events.ShardReady, () => {
    setUp(true);
  });
  client.on(Events.Error, (err) => logger.error('discord client error', { error: errorMessage(err) }));
}

/** Logs in and waits for READY (at most `readyTimeoutMs`); on failure the client is reset for the next try. */
async function login(client: Client, config: DiscordConfig, logger: Logger, readyTimeoutMs: number): Promise<void> {
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no READY from the Discord gateway within 30 s')), readyTimeoutMs);
  });
  try {
    await Promise.race([client.login(config.token).then(() => ready), timeout]);
    logger.info('discord client ready', { user: client.user?.tag, guilds: client.guilds.cache.size });
  } catch (err) {
    await client.destroy().catch(() => undefined);
    client.rest.setToken(config.token);
    throw loginError(err);
  } finally {
    clearTimeout(timer);
  }
}

/** The gateway connection of `client`. */
export function createDiscordConnection(
  client: Client,
  config: DiscordConfig,
  logger: Logger,
  options: DiscordConnectionOptions,
): DiscordConnection {
  let handlersAdded = false;
  let gatewayUp = false;
  let stopped = false;
  return {
    async start(register) {
      if (stopped) return;
      if (!handlersAdded) {
        handlersAdded = true;
        register();
        followGateway(client, logger, (up) => {
          gatewayUp = up;
        });
      }
      await login(client, config, logger, options.readyTimeoutMs ?? 30_000);
    },
    connected: () => gatewayUp && client.isReady(),
    async disconnect() {
      gatewayUp = false;
      try {
        await client.destroy();
      } finally {
        // destroy() forgets the token: posting goes on over REST, and start() may log in again.
        client.rest.setToken(config.token);
      }
    },
    async stop() {
      stopped = true;
      gatewayUp = false;
      await client.destroy();
    },
  };
}
