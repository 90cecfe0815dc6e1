/**
 * @module Discord adapter (discord.js). Translates only: `/brief`, `/sources`, the Sources button and
 * (where the MessageContent intent is granted) "sources" messages in a thread become calls to the
 * command handlers (inbound.ts); platform-neutral deliveries become messages with embeds (render.ts,
 * posted over REST by outbound.ts). Mentions never ping (`allowedMentions: { parse: [] }` and
 * neutralised text). discord.js's REST queue handles rate limits; failures still go back to the
 * ledger, which retries. The gateway connection is connection.ts.
 */
import type { Client } from 'discord.js';
import type { Logger } from '../../shared/logger.ts';
import type { ChatPlatform, InboundHandlers } from '../chat-platform.ts';
import { createDiscordClient, createDiscordConnection, type DiscordConfig, type DiscordConnectionOptions } from './connection.ts';
import { registerDiscordHandlers } from './inbound.ts';
import { createDiscordOutbound } from './outbound.ts';

export type { DiscordConfig } from './connection.ts';

export type DiscordPlatformOptions = DiscordConnectionOptions;

export interface DiscordPlatform extends ChatPlatform {
  readonly client: Client;
}

export function createDiscordPlatform(config: DiscordConfig, logger: Logger, options: DiscordPlatformOptions = {}): DiscordPlatform {
  const client = createDiscordClient(config, options);
  const outbound = createDiscordOutbound(client);
  const connection = createDiscordConnection(client, config, logger, options);
  return {
    name: 'discord',
    client,
    singleInbound: true,
    start: (inbound: InboundHandlers) => connection.start(() => registerDiscordHandlers(client, inbound, logger)),
    connected: () => connection.connected(),
    stopInbound: () => connection.disconnect(),
    stop: () => connection.stop(),
    post: (request, postOptions) => outbound.post(request, postOptions),
  };
}
