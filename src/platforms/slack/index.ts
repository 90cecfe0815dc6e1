/**
 * @module Slack adapter (@slack/bolt). Translates only: `/brief`, thread messages and the Sources button
 * become calls to the command handlers (inbound.ts); platform-neutral deliveries become Block Kit
 * messages (render.ts, posted by outbound.ts). Every message carries its delivery key in Slack message
 * metadata, so after a crash the ledger can find what already went out instead of posting it twice.
 * Socket Mode by default, HTTP (signed requests) as an option (connection.ts); `SLACK_API_URL` points
 * the Web API client elsewhere (proxies, tests).
 */
import type { Logger } from '../../shared/logger.ts';
import type { ChatPlatform, InboundHandlers } from '../chat-platform.ts';
import { createSlackConnection, type SlackConfig, type SlackConnectionOptions, slackApiOptions } from './connection.ts';
import { registerSlackHandlers } from './inbound.ts';
import { createSlackOutbound, createSlackWebClient } from './outbound.ts';

export type { SlackConfig } from './connection.ts';

export interface SlackPlatformOptions extends SlackConnectionOptions {
  /** Give up on a Web API call after this long (default 30 s); the ledger retries. */
  timeoutMs?: number;
}

export interface SlackPlatform extends ChatPlatform {
  /** The HTTP mode server's port once started (tests send signed requests there). */
  readonly httpPort: number | null;
  /** HTTP mode: the address the app listens on (null before it listens). */
  readonly httpAddress: string | null;
}

export function createSlackPlatform(config: SlackConfig, logger: Logger, options: SlackPlatformOptions = {}): SlackPlatform {
  // Posting needs no App: a plain Web API client, usable before (and whatever happens to) the inbound side.
  const client = createSlackWebClient(config.botToken, slackApiOptions(config), logger, options.timeoutMs);
  const outbound = createSlackOutbound(client);
  const connection = createSlackConnection(config, logger, options, client);
  return {
    name: 'slack',
    get httpPort() {
      return connection.httpPort;
    },
    get httpAddress() {
      return connection.httpAddress;
    },
    connected: () => connection.connected(),
    start: (inbound: InboundHandlers) =>
      connection.start((app) => registerSlackHandlers(app, inbound, { logger, reach: (channelId) => outbound.reach(channelId) })),
    stop: () => connection.stop(),
    post: (request, postOptions) => outbound.post(request, postOptions),
  };
}
