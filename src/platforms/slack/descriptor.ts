/**
 * @module Slack as the registry sees it: SLACK_* variables and the `slack:` section of the config file,
 * the settings made of them, and `create`, which imports the adapter (and Bolt) only when Slack is used.
 */
import { z } from 'zod';
import { httpUrlFromEnv, portFromEnv } from '../../config/env-values.ts';
import type { ChatPlatform } from '../chat-platform.ts';
import { definePlatform } from '../platform-descriptor.ts';

/** Slack's settings (tokens from the environment, the rest from the file, the environment winning). */
export interface SlackSettings {
  botToken: string;
  appToken: string | undefined;
  signingSecret: string | undefined;
  apiUrl: string | undefined;
  mode: 'socket' | 'http';
  port: number;
  host: string;
}

/** Test overrides given to buildPlatforms. */
export interface SlackTestOptions {
  /** Where Slack's HTTP mode listens instead of the configured port (0: any free port; tests). */
  slackPort?: number;
  /** Socket Mode timings (tests make them short). */
  slackSocket?: { reconnectMs: number; pingTimeoutMs: number };
}

const slackEnv = {
  SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'a Slack bot token starts with xoxb-').optional(),
  SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'a Slack app-level token starts with xapp-').optional(),
  SLACK_SIGNING_SECRET: z.string().min(8).optional(),
  SLACK_API_URL: httpUrlFromEnv,
  SLACK_PORT: portFromEnv,
  SLACK_HOST: z.string().min(1).optional(),
};

const slackSection = z
  .strictObject({
    mode: z.enum(['socket', 'http']).default('socket'),
    port: z.number().int().min(0).max(65535).default(3000),
    /** Interface the HTTP mode listens on: all by default (behind a proxy, set 127.0.0.1). */
    host: z.string().min(1).default('0.0.0.0'),
  })
  .prefault({});

export const slackDescriptor = definePlatform<'slack', SlackSettings, SlackTestOptions, z.output<typeof slackSection>, typeof slackEnv>({
  id: 'slack',
  env: slackEnv,
  section: slackSection,
  secretKeys: { token: 'SLACK_BOT_TOKEN', botToken: 'SLACK_BOT_TOKEN', appToken: 'SLACK_APP_TOKEN', signingSecret: 'SLACK_SIGNING_SECRET' },
  channelIdRequired: true,
  requiredEnv: 'SLACK_BOT_TOKEN',
  issues(section, env) {
    const out: string[] = [];
    if (env.SLACK_BOT_TOKEN) {
      if (section.mode === 'socket' && !env.SLACK_APP_TOKEN) {
        out.push(
          'env SLACK_APP_TOKEN: required in Socket Mode (slack.mode: socket, the default); or set slack.mode: http with SLACK_SIGNING_SECRET',
        );
      }
      if (section.mode === 'http' && !env.SLACK_SIGNING_SECRET) out.push('env SLACK_SIGNING_SECRET: required when slack.mode is http');
    } else if (env.SLACK_APP_TOKEN || env.SLACK_SIGNING_SECRET) {
      out.push('env SLACK_BOT_TOKEN: required when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set');
    }
    return out;
  },
  fromEnv(section, env) {
    if (!env.SLACK_BOT_TOKEN) return null;
    return {
      botToken: env.SLACK_BOT_TOKEN,
      appToken: env.SLACK_APP_TOKEN,
      signingSecret: env.SLACK_SIGNING_SECRET,
      apiUrl: env.SLACK_API_URL,
      mode: section.mode,
      port: env.SLACK_PORT ?? section.port,
      host: env.SLACK_HOST ?? section.host,
    };
  },
  async create(settings, logger, options): Promise<ChatPlatform> {
    const { createSlackPlatform } = await import('./index.ts');
    return createSlackPlatform(settings, logger, {
      ...(options.slackPort !== undefined ? { port: options.slackPort } : {}),
      ...(options.slackSocket
        ? { socketReconnectMs: options.slackSocket.reconnectMs, socketPingTimeoutMs: options.slackSocket.pingTimeoutMs }
        : {}),
    });
  },
});
