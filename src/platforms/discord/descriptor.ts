/**
 * @module Discord as the registry sees it: DISCORD_* variables and the `discord:` section of the config
 * file, the settings made of them, `create` (which imports the adapter and discord.js only when Discord
 * is used), and the `briefbot discord register-commands` command.
 */
import { z } from 'zod';
import { boolFromEnv, httpUrlFromEnv } from '../../config/env-values.ts';
import { BriefbotError, ConfigError, errorMessage } from '../../shared/errors.ts';
import type { ChatPlatform } from '../chat-platform.ts';
import { definePlatform, type PlatformCommand } from '../platform-descriptor.ts';

/** Discord's settings (the token from the environment). */
export interface DiscordSettings {
  token: string;
  applicationId: string | undefined;
  apiUrl: string | undefined;
  messageContent: boolean;
}

const discordEnv = {
  DISCORD_TOKEN: z.string().min(20, 'too short for a Discord bot token (Developer Portal → Bot → Reset Token)').optional(),
  DISCORD_APPLICATION_ID: z
    .string()
    .regex(/^\d{5,25}$/, 'a Discord application id is a number')
    .optional(),
  DISCORD_API_URL: httpUrlFromEnv,
  DISCORD_MESSAGE_CONTENT: boolFromEnv,
};

const discordSection = z
  .strictObject({
    /**
     * Read "sources" messages in briefing threads. Needs the privileged Message Content intent switched
     * on for the bot in the Developer Portal; without it, the Sources button and /sources still work.
     */
    messageContent: z.boolean().default(false),
  })
  .prefault({});

/** `briefbot discord register-commands [--guild ID]`: registers /brief and /sources with Discord. */
const registerCommands: PlatformCommand<DiscordSettings> = {
  name: 'register-commands',
  usage: 'briefbot discord register-commands [--guild ID]',
  help: `Register the /brief and /sources commands with Discord (DISCORD_TOKEN, DISCORD_APPLICATION_ID),
globally or, with --guild, in one server (shows at once).`,
  options: { guild: { type: 'string' } },
  async run({ settings, env, values, stdout }) {
    const guild = typeof values.guild === 'string' ? values.guild : undefined;
    const missing = [
      ...(settings ? [] : ['env DISCORD_TOKEN: required (Developer Portal → your application → Bot → Reset Token)']),
      ...(settings?.applicationId || env.DISCORD_APPLICATION_ID
        ? []
        : ['env DISCORD_APPLICATION_ID: required (Developer Portal → your application → General Information → Application ID)']),
    ];
    if (missing.length || !settings?.applicationId) throw new ConfigError('Cannot register the Discord commands:', missing);
    if (guild !== undefined && !/^\d{17,20}$/.test(guild)) {
      throw new BriefbotError(
        'bad_arguments',
        `--guild needs a server id (17–20 digits: with Developer Mode on, right-click the server → Copy Server ID), got "${guild}"`,
      );
    }
    const { registerDiscordCommands } = await import('./register-commands.ts');
    let names: string[];
    try {
      names = await registerDiscordCommands({
        token: settings.token,
        applicationId: settings.applicationId,
        apiUrl: settings.apiUrl,
        guildId: guild,
      });
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status === 401)
        throw new ConfigError('Discord refused DISCORD_TOKEN (401 Unauthorized): copy the bot token again (Bot → Reset Token).');
      if (status === 403 || status === 404) {
        throw new ConfigError(
          `Discord refused the registration (${status}): check DISCORD_APPLICATION_ID${guild ? ', that the bot is in that server, and that it was invited with the applications.commands scope' : ''}.`,
        );
      }
      throw new Error(`could not reach Discord to register the commands: ${errorMessage(err)}`);
    }
    stdout.write(
      `Registered ${names.map((n) => `/${n}`).join(', ')} ${guild ? `in server ${guild} (available now)` : 'globally (may take a few minutes to appear)'}.\n`,
    );
    return 0;
  },
};

export const discordDescriptor = definePlatform<
  'discord',
  DiscordSettings,
  Record<never, never>,
  z.output<typeof discordSection>,
  typeof discordEnv
>({
  id: 'discord',
  env: discordEnv,
  section: discordSection,
  secretKeys: { token: 'DISCORD_TOKEN' },
  channelIdRequired: true,
  requiredEnv: 'DISCORD_TOKEN',
  issues: (_section, env) =>
    env.DISCORD_APPLICATION_ID && !env.DISCORD_TOKEN ? ['env DISCORD_TOKEN: required when DISCORD_APPLICATION_ID is set'] : [],
  fromEnv(section, env) {
    if (!env.DISCORD_TOKEN) return null;
    return {
      token: env.DISCORD_TOKEN,
      applicationId: env.DISCORD_APPLICATION_ID,
      apiUrl: env.DISCORD_API_URL,
      messageContent: env.DISCORD_MESSAGE_CONTENT ?? section.messageContent,
    };
  },
  async create(settings, logger): Promise<ChatPlatform> {
    const { createDiscordPlatform } = await import('./index.ts');
    return createDiscordPlatform(settings, logger);
  },
  commands: [registerCommands],
});
