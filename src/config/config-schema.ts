/**
 * @module The one schema for briefbot's configuration: the YAML file (`config/briefbot.yaml`) and the
 * environment are validated together, so every problem in either is reported at once, with its path.
 * Secrets (tokens, keys) are accepted only from the environment.
 */
import cron from 'node-cron';
import { z } from 'zod';
import { findPlatform, platformDescriptors } from '../platforms/registry.ts';
import { parseByteSize, parseDuration } from './durations.ts';
import { boolFromEnv } from './env-values.ts';

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

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const timeZone = z.string().superRefine((v, ctx) => {
  if (!isTimeZone(v)) ctx.addIssue({ code: 'custom', message: `not an IANA time zone: ${JSON.stringify(v)} (e.g. "Europe/Kyiv", "UTC")` });
});
const cronExpr = z.string().superRefine((v, ctx) => {
  if (!cron.validate(v)) {
    ctx.addIssue({
      code: 'custom',
      message: `not a cron expression: ${JSON.stringify(v)} (five fields: minute hour day-of-month month day-of-week, e.g. "0 8 * * 1-5")`,
    });
  }
});

export const channelSchema = z
  .strictObject({
    /** A registered platform's id (platforms/registry.ts). */
    platform: z.enum(platformDescriptors.map((d) => d.id) as [string, ...string[]]),
    /** Slack channel id (C…), Discord channel id (snowflake); any label for the console. */
    id: z
      .string({ error: 'must be a quoted string, e.g. id: "1234567890123456789" (a long id written as a number loses digits)' })
      .min(1)
      .optional(),
    name: z.string().min(1).optional(),
    schedule: cronExpr.default('0 8 * * *'),
    timezone: timeZone.optional(),
    topics: z
      .strictObject({
        keywords: z.array(z.string().min(1)).default([]),
        entities: z.array(z.string().min(1)).default([]),
      })
      .optional(),
    maxEvents: z.number().int().min(1).max(25).default(8),
    minSources: z.number().int().min(1).default(1),
    /** Post a brief as soon as the first poll finishes (useful for the console). */
    briefOnStart: z.boolean().optional(),
    heading: z.string().min(1).max(120).optional(),
  })
  .superRefine((c, ctx) => {
    if (findPlatform(c.platform)?.channelIdRequired && !c.id)
      ctx.addIssue({ code: 'custom', path: ['id'], message: `the ${c.platform} channel id is required` });
  });

const botSchema = z
  .strictObject({
    timezone: timeZone.default('UTC'),
    /** How far back a scheduled brief looks for events it has not posted yet. */
    window: duration('24h'),
    updates: z
      .strictObject({
        enabled: z.boolean().default(true),
        /** At most one update per event per thread in this interval. */
        minInterval: duration('1h'),
      })
      .prefault({}),
    http: z
      .strictObject({
        port: z.number().int().min(0).max(65535).default(8080),
        host: z.string().default('0.0.0.0'),
      })
      .prefault({}),
    delivery: z
      .strictObject({
        maxAttempts: z.number().int().min(1).max(100).default(12),
        /**
         * On a shared database (PostgreSQL), how long an instance holds a delivery it is posting: another
         * takes it over (checking first what was posted) only after this. Longer than any platform call.
         */
        claimTimeout: duration('2m').refine((ms) => ms >= 1000, 'must be at least 1s'),
      })
      .prefault({}),
  })
  .prefault({});

const storeSchema = z
  .strictObject({
    path: z.string().min(1).default('./data/briefbot.db'),
    /**
     * A PostgreSQL database (postgres://user@host:5432/briefbot) instead of the SQLite file, for several
     * instances at once. DATABASE_URL wins; a password belongs there (or in PGPASSWORD), not in this file.
     */
    url: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .refine(
        (v) => !/^postgres(ql)?:\/\/[^/@]*:[^/@]*@/.test(v) && !/[?&]password=/i.test(v),
        'holds a password: set DATABASE_URL (or PGPASSWORD) instead',
      )
      .optional(),
    /**
     * Largest the database may grow; past it, writes fail as on a full disk (reported on /healthz, retried,
     * nothing lost). 0: no limit but the disk's.
     */
    maxSize: byteSize('0'),
  })
  .prefault({});

/** Keys that would hold a secret: refused in the file, with a pointer to the env variable (a key several platforms use names each one's). */
const SECRET_KEYS: Record<string, string> = secretKeys();

function secretKeys(): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const d of platformDescriptors) {
    for (const [key, env] of Object.entries(d.secretKeys ?? {})) keys[key] = keys[key] ? `${keys[key]} / ${env}` : env;
  }
  return { ...keys, apiKey: 'LLM_API_KEY', password: 'an environment variable' };
}

/** Each platform's section of the config file, under its id (`slack:`, `discord:` …). */
function platformSections(): Record<string, z.ZodType> {
  return Object.fromEntries(platformDescriptors.flatMap((d) => (d.section ? [[d.id, d.section]] : [])));
}

/** Every platform's environment variables. */
function platformEnv(): z.ZodRawShape {
  return Object.assign({}, ...platformDescriptors.map((d) => d.env));
}

export const fileSchema = z
  .strictObject({
    feeds: z.array(feedSchema).default([]),
    fetch: fetchSchema,
    polling: pollingSchema,
    store: storeSchema,
    channels: z.array(channelSchema).default([]),
    bot: botSchema,
    // Typed as the core sections only: the platforms' sections are read through their descriptors.
    ...(platformSections() as Record<never, never>),
  })
  .prefault({});

export const envSchema = z
  .object({
    BRIEFBOT_CONFIG: z.string().min(1).optional(),
    BRIEFBOT_DB: z.string().min(1).optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (unset it to use the SQLite file)')
      .optional(),
    BRIEFBOT_ALLOW_PRIVATE_ADDRESSES: boolFromEnv,
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
    HTTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    // Typed as the core variables only: the platforms' variables are read through their descriptors.
    ...(platformEnv() as Record<never, never>),
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
export type ChannelConfig = z.output<typeof channelSchema>;

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

type SchemaDef = { type: string; shape?: Record<string, unknown>; element?: unknown; innerType?: unknown; in?: unknown };
type AnySchema = { _zod: { def: SchemaDef } };

/** The keys the config file's schema knows at `path` (for "did you mean" on an unknown key). */
export function knownKeysAt(path: readonly PropertyKey[], schema: unknown = fileSchema): string[] {
  let s = schema as AnySchema;
  const unwrap = () => {
    for (let i = 0; i < 10; i++) {
      const d = s._zod.def;
      if (d.innerType) s = d.innerType as AnySchema;
      else if (d.type === 'pipe' && d.in) s = d.in as AnySchema;
      else break;
    }
  };
  unwrap();
  for (const p of path) {
    const d = s._zod.def;
    if (d.type === 'array' && typeof p === 'number') s = d.element as AnySchema;
    else if (d.type === 'object' && typeof p === 'string' && d.shape?.[p]) s = d.shape[p] as AnySchema;
    else return [];
    unwrap();
  }
  return s._zod.def.type === 'object' ? Object.keys(s._zod.def.shape ?? {}) : [];
}

/** The known key closest to a mistyped one, when it is close enough to be a typo. */
export function closestKey(key: string, known: readonly string[]): string | null {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let prev = row[0] as number;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const cur = row[j] as number;
        row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = cur;
      }
    }
    return row[b.length] as number;
  };
  let best: { key: string; d: number } | null = null;
  for (const k of known) {
    const d = distance(key.toLowerCase(), k.toLowerCase());
    if (!best || d < best.d) best = { key: k, d };
  }
  return best && best.d <= Math.max(1, Math.floor(key.length / 3)) ? best.key : null;
}
