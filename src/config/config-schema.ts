/**
 * @module The one schema for briefbot's configuration: the YAML file (`config/briefbot.yaml`) and the
 * environment are validated together, so every problem in either is reported at once, with its path.
 * Secrets (tokens, keys) are accepted only from the environment.
 */
import { z } from 'zod';
import { parseByteSize, parseDuration } from './durations.ts';

const duration = (fallback: string) =>
  z
    .union([z.string(), z.number()])
    .default(fallback)
    .transform((v, ctx) => {
      const ms = parseDuration(v);
      if (ms === null) {
        ctx.addIssue({ code: 'custom', message: `not a duration: ${JSON.stringify(v)} (use e.g. "30s", "15m", "2h")` });
        return z.NEVER;
      }
      return ms;
    });

const optionalDuration = z
  .union([z.string(), z.number()])
  .optional()
  .transform((v, ctx) => {
    if (v === undefined) return undefined;
    const ms = parseDuration(v);
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: `not a duration: ${JSON.stringify(v)} (use e.g. "30s", "15m", "2h")` });
      return z.NEVER;
    }
    return ms;
  });

const byteSize = (fallback: string) =>
  z
    .union([z.string(), z.number()])
    .default(fallback)
    .transform((v, ctx) => {
      const n = parseByteSize(v);
      if (n === null) {
        ctx.addIssue({ code: 'custom', message: `not a size: ${JSON.stringify(v)} (use e.g. "5MB", "512KB")` });
        return z.NEVER;
      }
      return n;
    });

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const fullTextMode = z.enum(['auto', 'always', 'never']);

export const feedSchema = z.strictObject({
  url: httpUrl,
  name: z.string().min(1).optional(),
  outlet: z.string().min(1).optional(),
  interval: optionalDuration,
  fullText: fullTextMode.optional(),
});

const fetchSchema = z
  .strictObject({
    userAgent: z.string().min(3).optional(),
    timeout: duration('20s'),
    maxBytes: byteSize('8MB'),
    maxRedirects: z.number().int().min(0).max(20).default(5),
    concurrency: z.number().int().min(1).max(64).default(8),
    perHostConcurrency: z.number().int().min(1).max(16).default(2),
    allowPrivateAddresses: z.boolean().default(false),
    fullText: fullTextMode.default('auto'),
  })
  .prefault({});

const pollingSchema = z
  .strictObject({
    interval: duration('15m'),
    maxBackoff: duration('6h'),
    unhealthyAfter: z.number().int().min(1).default(5),
    maxItemAge: duration('7d'),
  })
  .prefault({});

const storeSchema = z
  .strictObject({
    path: z.string().min(1).default('./data/briefbot.db'),
  })
  .prefault({});

/** Keys that would hold a secret: refused in the file, with a pointer to the env variable. */
const SECRET_KEYS: Record<string, string> = {
  token: 'SLACK_BOT_TOKEN / DISCORD_TOKEN',
  botToken: 'SLACK_BOT_TOKEN',
  appToken: 'SLACK_APP_TOKEN',
  signingSecret: 'SLACK_SIGNING_SECRET',
  apiKey: 'LLM_API_KEY',
  password: 'an environment variable',
};

export const fileSchema = z
  .strictObject({
    feeds: z.array(feedSchema).default([]),
    fetch: fetchSchema,
    polling: pollingSchema,
    store: storeSchema,
  })
  .prefault({});

const boolFromEnv = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v))
  .optional();

export const envSchema = z
  .object({
    BRIEFBOT_CONFIG: z.string().min(1).optional(),
    BRIEFBOT_DB: z.string().min(1).optional(),
    BRIEFBOT_ALLOW_PRIVATE_ADDRESSES: boolFromEnv,
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
    LLM_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://api.openai.com/v1' }).optional(),
    LLM_API_KEY: z.string().min(1).optional(),
    LLM_MODEL: z.string().min(1).optional(),
    LLM_TIMEOUT: z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return undefined;
        const ms = parseDuration(v);
        if (ms === null) {
          ctx.addIssue({ code: 'custom', message: `not a duration: ${JSON.stringify(v)} (use e.g. "30s")` });
          return z.NEVER;
        }
        return ms;
      }),
  })
  .superRefine((env, ctx) => {
    if (env.LLM_BASE_URL && !env.LLM_MODEL)
      ctx.addIssue({ code: 'custom', path: ['LLM_MODEL'], message: 'required when LLM_BASE_URL is set' });
    if (env.LLM_MODEL && !env.LLM_BASE_URL)
      ctx.addIssue({ code: 'custom', path: ['LLM_BASE_URL'], message: 'required when LLM_MODEL is set' });
  });

export type FileConfig = z.output<typeof fileSchema>;
export type EnvConfig = z.output<typeof envSchema>;
export type FeedConfig = z.output<typeof feedSchema>;

/** Finds secret-looking keys anywhere in the raw YAML so they can be refused with a clear message. */
export function findSecretKeys(raw: unknown, path: string[] = []): string[] {
  const found: string[] = [];
  if (Array.isArray(raw)) {
    for (const [i, v] of raw.entries()) found.push(...findSecretKeys(v, [...path, String(i)]));
  } else if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw)) {
      const env = SECRET_KEYS[k];
      if (env) found.push(`${formatPath([...path, k])}: secrets are read only from the environment (set ${env})`);
      else found.push(...findSecretKeys(v, [...path, k]));
    }
  }
  return found;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number' || (typeof p === 'string' && /^\d+$/.test(p))) out += `[${String(p)}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}
