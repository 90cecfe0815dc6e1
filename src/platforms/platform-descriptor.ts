/**
 * @module What a platform folder tells the rest of briefbot about itself: one PlatformDescriptor (in its
 * `descriptor.ts`), listed in `registry.ts`. The config loader, the composition root and the CLI loop over
 * the descriptors; none of them names a platform. A descriptor is light to import: it imports its adapter
 * (and the adapter's library, discord.js or Bolt) only inside `create` and its commands.
 */
import type { z } from 'zod';
import type { Logger } from '../shared/logger.ts';
import type { ChatPlatform } from './chat-platform.ts';

/** A platform's own subcommand of the CLI: `briefbot <platform id> <name>`. */
export interface PlatformCommand<Settings> {
  /** The word after the platform id, e.g. `register-commands`. */
  name: string;
  /** The usage line, e.g. `briefbot discord register-commands [--guild ID]`. */
  usage: string;
  /** What it does, as indented lines under the usage line in `briefbot --help`. */
  help: string;
  /** Options it takes besides the CLI's own (`--config`, `--verbose` …), in `node:util` parseArgs form. */
  options?: Record<string, { type: 'string' | 'boolean' }>;
  /**
   * Runs it. `settings` are the platform's (null when it is not configured). Throws ConfigError for what
   * the configuration lacks (exit 2), a BriefbotError coded `bad_arguments` for a bad option (exit 2 with
   * the usage), anything else for a failure (exit 1). Returns the exit status.
   */
  run(context: {
    settings: Settings | null;
    env: Readonly<Record<string, string | undefined>>;
    values: Readonly<Record<string, string | boolean | string[] | undefined>>;
    stdout: { write(text: string): unknown };
  }): Promise<number>;
}

/**
 * One platform. `Settings` is what `fromEnv` makes of the environment and the platform's section of the
 * config file (tokens come only from the environment), and what `create` builds the adapter from; it is
 * also `config[id]` (null when the platform is not configured).
 */
export interface PlatformDescriptor<
  Id extends string = string,
  Settings = unknown,
  Options = unknown,
  Section = unknown,
  Env extends z.ZodRawShape = z.ZodRawShape,
> {
  /** What channels name in `platform:`, the ledger stores, metrics and logs show. Lowercase, stable, and never a key of the core config. */
  readonly id: Id;
  /** Its environment variables (zod schemas), validated with the rest of the environment. */
  readonly env: Env;
  /** Its section of the config file (the key is its id), with defaults; none when it has nothing to set there. */
  readonly section?: z.ZodType<Section>;
  /** Keys that would hold one of its secrets, refused anywhere in the config file, with the variable to set instead. */
  readonly secretKeys?: Readonly<Record<string, string>>;
  /** Whether a channel of this platform must give an id (a console channel needs none). */
  readonly channelIdRequired: boolean;
  /**
   * The platform that channels fall back to when their own platform is not configured (the console); it
   * is started only when a channel needs it or no other platform is configured. Exactly one has it.
   */
  readonly fallback?: boolean;
  /** The variable whose absence leaves the platform unconfigured, named in the notice "… is not set, so its briefs are printed to the console". */
  readonly requiredEnv: string | null;
  /** Settings that only make sense together (a token without its companion, say), as `env NAME: …` lines. */
  issues?(section: Section, env: EnvOf<Env>): string[];
  /** Its settings when it is configured, else null. `env` is the validated environment. */
  fromEnv(section: Section, env: EnvOf<Env>): Settings | null;
  /**
   * Builds the adapter (importing it, and its library, only now). `options` are the test overrides given
   * to `buildPlatforms`; each platform reads the keys it declares in `Options`, prefixed with its id.
   */
  create(settings: Settings, logger: Logger, options: Options): Promise<ChatPlatform>;
  /** Its CLI subcommands, if any. */
  readonly commands?: readonly PlatformCommand<Settings>[];
}

/** The validated environment variables of an `env` shape. */
export type EnvOf<Env extends z.ZodRawShape> = z.output<z.ZodObject<Env>>;

/** Declares a descriptor (keeps its literal id and its settings type, so `config.<id>` is typed). */
export function definePlatform<
  const Id extends string,
  Settings,
  Options = Record<never, never>,
  Section = undefined,
  Env extends z.ZodRawShape = Record<never, never>,
>(descriptor: PlatformDescriptor<Id, Settings, Options, Section, Env>): PlatformDescriptor<Id, Settings, Options, Section, Env> {
  return descriptor;
}
