/**
 * @module Loads and validates configuration once at boot. `loadConfig` takes env as a parameter
 * (tests pass their own) and throws a ConfigError listing every problem, file and env alike.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { DEFAULT_USER_AGENT, type HttpClientOptions } from '../net/http-client.ts';
import type { PlatformId } from '../platforms/chat-platform.ts';
import { fallbackPlatform, findPlatform, type PlatformSettings, platformDescriptors, settingsOf } from '../platforms/registry.ts';
import { ConfigError } from '../shared/errors.ts';
import {
  closestKey,
  envSchema,
  type FeedConfig,
  type FileConfig,
  fileSchema,
  findSecretKeys,
  formatPath,
  knownKeysAt,
} from './config-schema.ts';

export const DEFAULT_CONFIG_PATH = 'config/briefbot.yaml';

export interface FeedSpec {
  url: string;
  name: string | undefined;
  outlet: string | undefined;
  intervalMs: number | undefined;
  fullText: 'auto' | 'always' | 'never' | undefined;
}

/** A registered platform's id (platforms/registry.ts): 'console', 'slack', 'discord' … */
export type PlatformName = PlatformId;

export interface ChannelSpec {
  /** The platform the channel is configured for. */
  platform: PlatformName;
  /** Where its briefs actually go: its platform, or the console when that platform has no token. */
  deliveredVia: PlatformName;
  id: string;
  name: string;
  schedule: string;
  timezone: string;
  topics: { keywords: string[]; entities: string[] } | null;
  maxEvents: number;
  minSources: number;
  briefOnStart: boolean;
  heading: string | undefined;
}

/** The configuration, with each registered platform's settings under its id (`config.slack` …, null when not configured). */
export type Config = CoreConfig & PlatformSettings;

export interface CoreConfig {
  /** The YAML file read, or null when running on embedded defaults. */
  configFile: string | null;
  feeds: FeedSpec[];
  fetch: FileConfig['fetch'];
  polling: FileConfig['polling'];
  /** The SQLite file, or a PostgreSQL database when `url` is set (several instances may share it). */
  store: { path: string; maxSize: number; url: string | null };
  log: { level: 'debug' | 'info' | 'warn' | 'error' | 'silent'; format: 'json' | 'pretty' | undefined };
  /** Set when an OpenAI-compatible endpoint should write the briefs (the extractive brief is the fallback). */
  llm: { baseUrl: string; apiKey: string | undefined; model: string; timeoutMs: number } | null;
  channels: ChannelSpec[];
  bot: FileConfig['bot'];
  http: { port: number; host: string };
  /** Not errors, but worth saying at start (e.g. channels printed to the console for lack of a token). */
  notices: string[];
}

export interface LoadConfigOptions {
  /** Explicit config path (`--config`); wins over BRIEFBOT_CONFIG and the default path. */
  file?: string | undefined;
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  // An empty variable (`BRIEFBOT_DB=` copied from .env.example) means "not set".
  const env = Object.fromEntries(Object.entries(options.env ?? process.env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const cwd = options.cwd ?? process.cwd();
  const issues: string[] = [];

  const envResult = envSchema.safeParse(env);
  if (!envResult.success) issues.push(...formatIssues(envResult.error.issues, 'env '));

  const explicit = options.file ?? env.BRIEFBOT_CONFIG;
  let configFile: string | null = null;
  let raw: unknown = {};
  if (explicit) {
    configFile = resolve(cwd, explicit);
    raw = readYaml(configFile);
  } else if (existsSync(resolve(cwd, DEFAULT_CONFIG_PATH))) {
    configFile = resolve(cwd, DEFAULT_CONFIG_PATH);
    raw = readYaml(configFile);
  }
  if (raw === null || raw === undefined) raw = {};

  issues.push(...findSecretKeys(raw));
  const fileResult = fileSchema.safeParse(raw);
  if (!fileResult.success) issues.push(...formatIssues(fileResult.error.issues, ''));

  if (fileResult.success) issues.push(...duplicateFeeds(fileResult.data.feeds));
  if (fileResult.success && envResult.success) issues.push(...platformIssues(fileResult.data, envResult.data));
  if (issues.length > 0 || !fileResult.success || !envResult.success) {
    const envOnly = issues.length > 0 && issues.every((i) => i.startsWith('env '));
    throw new ConfigError(
      envOnly ? 'Invalid environment (or .env):' : `Invalid configuration${configFile ? ` (${configFile})` : ''}:`,
      issues,
    );
  }

  const file = fileResult.data;
  const e = envResult.data;
  const platforms = platformSettings(fileResult.data, envResult.data);
  const notices: string[] = [];
  const fallback = fallbackPlatform();
  // No channel configured at all: the briefs are printed to the console, so a first run shows something.
  const configured = file.channels.length
    ? file.channels
    : [{ platform: fallback.id, schedule: '*/30 * * * *', maxEvents: 6, minSources: 1, briefOnStart: true }];
  const channels: ChannelSpec[] = configured.map((c, i) => {
    const descriptor = findPlatform(c.platform);
    const available = settingsOf(platforms, c.platform) !== null;
    const name = c.name ?? (descriptor?.channelIdRequired ? `${c.platform}:${c.id}` : c.platform);
    if (!available) {
      notices.push(
        `channels[${i}] (${name}): ${descriptor?.requiredEnv ?? c.platform} is not set, so its briefs are printed to the console`,
      );
    }
    return {
      platform: c.platform,
      deliveredVia: available ? c.platform : fallback.id,
      id: c.id ?? `${c.platform}-${i}`,
      name,
      schedule: c.schedule,
      timezone: c.timezone ?? file.bot.timezone,
      topics: c.topics && (c.topics.keywords.length || c.topics.entities.length) ? c.topics : null,
      maxEvents: c.maxEvents,
      minSources: c.minSources,
      briefOnStart: c.briefOnStart ?? (descriptor?.fallback === true || !available),
      heading: c.heading,
    };
  });
  return {
    configFile,
    feeds: file.feeds.map(toFeedSpec),
    fetch: { ...file.fetch, allowPrivateAddresses: e.BRIEFBOT_ALLOW_PRIVATE_ADDRESSES ?? file.fetch.allowPrivateAddresses },
    polling: file.polling,
    store: { path: e.BRIEFBOT_DB ?? file.store.path, maxSize: file.store.maxSize, url: e.DATABASE_URL ?? file.store.url ?? null },
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
    llm:
      e.LLM_BASE_URL && e.LLM_MODEL
        ? { baseUrl: e.LLM_BASE_URL, apiKey: e.LLM_API_KEY, model: e.LLM_MODEL, timeoutMs: e.LLM_TIMEOUT ?? 30_000 }
        : null,
    channels,
    bot: file.bot,
    http: { port: e.HTTP_PORT ?? file.bot.http.port, host: file.bot.http.host },
    notices,
    ...platforms,
  };
}

/** Each registered platform's settings under its id (null when it is not configured). */
function platformSettings(file: FileConfig, env: z.output<typeof envSchema>): PlatformSettings {
  const sections = file as Record<string, unknown>;
  return Object.fromEntries(platformDescriptors.map((d) => [d.id, d.fromEnv(sections[d.id], env)])) as PlatformSettings;
}

/** Settings that only make sense together (each platform's), and channel ids that appear twice. */
function platformIssues(file: FileConfig, env: z.output<typeof envSchema>): string[] {
  const sections = file as Record<string, unknown>;
  const out = platformDescriptors.flatMap((d) => d.issues?.(sections[d.id], env) ?? []);
  const seen = new Map<string, number>();
  file.channels.forEach((c, i) => {
    if (!c.id) return;
    const key = `${c.platform}:${c.id}`;
    const prev = seen.get(key);
    if (prev !== undefined)
      out.push(`channels[${i}].id: the same ${c.platform} channel as channels[${prev}]; combine their topics instead`);
    else seen.set(key, i);
  });
  return out;
}

export function toFeedSpec(f: FeedConfig): FeedSpec {
  return { url: f.url, name: f.name, outlet: f.outlet, intervalMs: f.interval, fullText: f.fullText };
}

function readYaml(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`Cannot read config file ${path}: ${(err as Error).message}`, [], 'config_unreadable');
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      `Config file ${path} is not valid YAML:`,
      doc.errors.map((e) => e.message.split('\n')[0] ?? e.message),
      'config_unreadable',
    );
  }
  return doc.toJS();
}

function formatIssues(issues: readonly z.core.$ZodIssue[], prefix: string): string[] {
  return issues.map((issue) => {
    const path = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      // "did you mean" only for the file: env variables are read by exact name.
      const known = prefix ? [] : knownKeysAt(issue.path);
      const keys = issue.keys.map((k) => {
        const guess = closestKey(k, known);
        return guess ? `"${k}" (did you mean "${guess}"?)` : `"${k}"`;
      });
      return `${prefix}${path}: unknown key${issue.keys.length > 1 ? 's' : ''} ${keys.join(', ')}`;
    }
    return `${prefix}${path}: ${issue.message}`;
  });
}

function duplicateFeeds(feeds: readonly FeedConfig[]): string[] {
  const seen = new Map<string, number>();
  const out: string[] = [];
  feeds.forEach((f, i) => {
    const prev = seen.get(f.url);
    if (prev !== undefined) out.push(`feeds[${i}].url: duplicate of feeds[${prev}] (${f.url})`);
    else seen.set(f.url, i);
  });
  return out;
}

/** The HTTP client settings the config gives (the CLI adds the loopback hosts of its `--feed` URLs). */
export function httpClientOptions(config: Config, allowHosts: ReadonlySet<string> = new Set()): HttpClientOptions {
  return {
    userAgent: config.fetch.userAgent ?? DEFAULT_USER_AGENT,
    timeoutMs: config.fetch.timeout,
    maxBytes: config.fetch.maxBytes,
    maxRedirects: config.fetch.maxRedirects,
    perHostConcurrency: config.fetch.perHostConcurrency,
    policy: { allowPrivate: config.fetch.allowPrivateAddresses, allowHosts },
  };
}
