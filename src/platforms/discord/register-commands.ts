/**
 * @module The Discord slash commands briefbot answers, and their registration (`briefbot discord
 * register-commands`). Global commands reach every server the bot is in (Discord may take a while to
 * show changes); `--guild ID` registers them in one server at once, which is what you want while
 * setting up.
 */
import {
  InteractionContextType,
  REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  Routes,
  SlashCommandBuilder,
} from 'discord.js';

export const DISCORD_COMMANDS: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [
  new SlashCommandBuilder()
    .setName('brief')
    .setDescription('A brief on a topic: the matching events, what is disputed, and the sources')
    .setContexts(InteractionContextType.Guild)
    .addStringOption((o) => o.setName('topic').setDescription('A name, place or word, e.g. kursk').setRequired(true).setMaxLength(100))
    .toJSON(),
  new SlashCommandBuilder()
    .setName('sources')
    .setDescription('The sources of this briefing thread')
    .setContexts(InteractionContextType.Guild)
    .addIntegerOption((o) =>
      o
        .setName('number')
        .setDescription('Only event number N of the brief (or page N when the thread has one event)')
        .setMinValue(1)
        .setMaxValue(99),
    )
    .toJSON(),
];

export interface RegisterOptions {
  token: string;
  applicationId: string;
  apiUrl: string | undefined;
  /** Register in this server only (shows at once) instead of globally. */
  guildId?: string | undefined;
}

/** Replaces the application's (or the guild's) commands with briefbot's; returns their names. */
export async function registerDiscordCommands(options: RegisterOptions): Promise<string[]> {
  const rest = new REST({ version: '10', retries: 2, ...(options.apiUrl ? { api: options.apiUrl.replace(/\/+$/, '') } : {}) }).setToken(
    options.token,
  );
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  const saved = (await rest.put(route, { body: DISCORD_COMMANDS })) as Array<{ name: string }>;
  return saved.map((c) => c.name);
}
