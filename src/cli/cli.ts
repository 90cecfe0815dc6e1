/**
 * @module The `briefbot` command line: `once`, `brief QUERY`, `feeds`, `feeds import FILE.opml`, and each
 * platform's own commands (`discord register-commands`), found in the platform registry.
 * A composition root like main.ts: it builds the store and HTTP client and hands them to the pipeline.
 * Results go to stdout (and `--out`); logs and progress go to stderr.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CLUSTER_PARAMS } from '../cluster/cluster-stories.ts';
import { addFeedsToYaml } from '../config/add-feeds.ts';
import { withDotEnv } from '../config/dotenv.ts';
import { type Config, DEFAULT_CONFIG_PATH, type FeedSpec, httpClientOptions, loadConfig } from '../config/load-config.ts';
import { parseOpml } from '../config/opml.ts';
import { createSummarizer } from '../llm/create-summarizer.ts';
import { isLoopbackHost, normalizeHost } from '../net/address-guard.ts';
import { createHttpClient } from '../net/http-client.ts';
import { markOnceBriefed, runOnce } from '../pipeline/run-once.ts';
import { searchBriefing } from '../pipeline/search-briefing.ts';
import { findPlatform, platformDescriptors, settingsOf } from '../platforms/registry.ts';
import { pidAlive, thisProcess } from '../runtime/process-lease.ts';
import { BriefbotError, ConfigError, errorMessage } from '../shared/errors.ts';
import { createLogger, type Logger, type LogLevel } from '../shared/logger.ts';
import { migrateSqliteToPostgres } from '../store/migrate-to-postgres.ts';
import { openStore as openConfiguredStore } from '../store/open-store.ts';
import type { Store } from '../store/ports.ts';
import { redactUrl } from '../store/postgres/postgres-store.ts';
import { createProgress, type Progress } from './progress.ts';
import { type FeedRow, renderBriefingText, renderFeedsText } from './render-text.ts';

/** Each platform's commands (platforms/registry.ts), as USAGE lists them. */
function platformCommandsUsage(): string {
  return platformDescriptors
    .flatMap((d) => d.commands ?? [])
    .map((c) => `  ${c.usage}\n${c.help.replace(/^/gm, '      ')}\n`)
    .join('');
}

export const USAGE = `briefbot — news briefs from RSS/Atom feeds

Usage:
  briefbot once [--config FILE] [--feed URL]... [--db PATH] [--since ISO] [--format json|text] [--out FILE]
      Poll each feed once (the config's feeds, or only the --feed URLs), store what is new, and print a
      brief of every event that gained articles in this run (or since --since).
  briefbot brief QUERY [--db PATH] [--format json|text]
      Print the brief of the stored events that best match QUERY (what /brief QUERY posts).
  briefbot feeds [--config FILE] [--db PATH] [--format json|text]
      List each feed's health: status, last success, last error, next poll, stored articles.
  briefbot feeds import FILE.opml [--config FILE] [--dry-run]
      Add the feeds of an OPML subscription list to the config file (comments are kept).
  briefbot db migrate-to POSTGRES_URL [--config FILE] [--db PATH]
      Copy the SQLite database into an empty PostgreSQL database (stop the bot first), then set
      DATABASE_URL to run on PostgreSQL.
${platformCommandsUsage()}
Options:
  --config FILE   config file (default: $BRIEFBOT_CONFIG, else ${DEFAULT_CONFIG_PATH} if present)
  --db PATH|URL   SQLite file or postgres:// URL (default: $DATABASE_URL or the config's store.url, else
                  $BRIEFBOT_DB or the config's store.path, ./data/briefbot.db)
  --format F      json or text (default: text on a terminal, json otherwise)
  --out FILE      also write the output to FILE
  -v, --verbose   debug logs on stderr
  -h, --help      this help

Through npm, use \`npm run --silent briefbot -- …\`: without --silent, npm prints its own banner on
stdout, ahead of the JSON (or use --out FILE, which gets the JSON alone).

Exit status: 0 on success (even when some feeds failed: see stderr and the JSON "feeds" list);
2 for bad arguments or configuration; 1 when the database cannot be used.`;

export interface CliIo {
  stdout: NodeJS.WriteStream | { write(s: string): unknown; isTTY?: boolean; columns?: number };
  stderr: NodeJS.WriteStream;
  env: Record<string, string | undefined>;
  cwd: string;
  now?: () => Date;
}

class UsageError extends BriefbotError {
  constructor(message: string) {
    super('bad_arguments', message);
  }
}

const OPTIONS = {
  // The options of the platforms' commands (e.g. --guild), then the CLI's own.
  ...(platformCommandOptions() as Record<never, never>),
  config: { type: 'string' },
  db: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  feed: { type: 'string', multiple: true },
  since: { type: 'string' },
  'dry-run': { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

function platformCommandOptions(): Record<string, { type: 'string' | 'boolean' }> {
  return Object.assign({}, ...platformDescriptors.flatMap((d) => d.commands ?? []).map((c) => c.options ?? {}));
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

export async function runCli(argv: readonly string[], given: CliIo): Promise<number> {
  const io: CliIo = { ...given, env: withDotEnv(given.env, given.cwd) };
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true }));
  } catch (err) {
    io.stderr.write(`briefbot: ${errorMessage(err)}\n\n${USAGE}\n`);
    return 2;
  }
  const [command, ...rest] = positionals;
  if (values.help || !command || command === 'help') {
    (values.help || command === 'help' ? io.stdout : io.stderr).write(`${USAGE}\n`);
    return values.help || command === 'help' ? 0 : 2;
  }
  const logger = makeLogger(io, values.verbose === true);
  try {
    switch (command) {
      case 'once':
        if (rest.length) throw new UsageError(`once takes no positional arguments (got "${rest.join(' ')}")`);
        return await commandOnce(values, io, logger);
      case 'brief':
        if (rest.length === 0) throw new UsageError('brief needs a QUERY, e.g. `briefbot brief kursk`');
        return await commandBrief(rest.join(' '), values, io, logger);
      case 'db':
        if (rest[0] !== 'migrate-to')
          throw new UsageError(`unknown db subcommand "${rest[0] ?? ''}" (try \`briefbot db migrate-to postgres://…\`)`);
        if (!rest[1] || !/^postgres(ql)?:\/\//.test(rest[1])) {
          throw new UsageError('db migrate-to needs a PostgreSQL URL, e.g. `briefbot db migrate-to postgres://briefbot@db:5432/briefbot`');
        }
        return commandMigrateTo(rest[1], values, io);
      case 'feeds':
        if (rest[0] === 'import') {
          if (!rest[1]) throw new UsageError('feeds import needs an OPML file: `briefbot feeds import subscriptions.opml`');
          return commandFeedsImport(rest[1], values, io);
        }
        if (rest.length) throw new UsageError(`unknown feeds subcommand "${rest[0]}"`);
        return commandFeeds(values, io);
      default:
        return await commandOfPlatform(command, rest, values, io);
    }
  } catch (err) {
    // A platform's command says "bad arguments" with the same code as UsageError.
    if (err instanceof BriefbotError && err.code === 'bad_arguments') {
      io.stderr.write(`briefbot: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof ConfigError) {
      io.stderr.write(`briefbot: ${err.message}\n`);
      return 2;
    }
    if (err instanceof BriefbotError && err.code === 'store_unusable') {
      io.stderr.write(`briefbot: ${err.message}\n`);
      return 1;
    }
    logger.error('briefbot failed', { error: err });
    io.stderr.write(`briefbot: ${errorMessage(err)}\n`);
    return 1;
  }
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** The progress line showing on stderr, if any: log lines are written above it. */
let activeProgress: Progress | null = null;

function makeLogger(io: CliIo, verbose: boolean): Logger {
  const envLevel = io.env.LOG_LEVEL as LogLevel | undefined;
  const level: LogLevel = verbose
    ? 'debug'
    : envLevel && ['debug', 'info', 'warn', 'error', 'silent'].includes(envLevel)
      ? envLevel
      : 'warn';
  const format = io.env.LOG_FORMAT === 'json' || io.env.LOG_FORMAT === 'pretty' ? io.env.LOG_FORMAT : io.stderr.isTTY ? 'pretty' : 'json';
  // Log lines go above a progress line, if one is showing (see progress.ts).
  return createLogger({ level, format, write: (line) => (activeProgress ? activeProgress.interrupt(line) : io.stderr.write(`${line}\n`)) });
}

function formatOf(values: Values, io: CliIo): 'json' | 'text' {
  const f = values.format ?? (io.stdout.isTTY ? 'text' : 'json');
  if (f !== 'json' && f !== 'text') throw new UsageError(`--format must be json or text (got "${f}")`);
  // Run through npm without --silent, npm's banner lands on stdout before our JSON: say how to avoid it.
  if (f === 'json' && !io.stdout.isTTY && !values.out && io.env.npm_lifecycle_event && io.env.npm_config_loglevel !== 'silent') {
    io.stderr.write(
      'briefbot: npm printed its banner on stdout ahead of the JSON; use `npm run --silent briefbot -- …` (or --out FILE) for JSON alone\n',
    );
  }
  return f;
}

function openStore(values: Values, config: Config, io: CliIo): Store {
  // --db names a SQLite file or a postgres:// URL, and wins over the config.
  const db = values.db;
  if (db && /^postgres(ql)?:\/\//.test(db)) return openConfiguredStore({ store: { ...config.store, url: db } });
  if (db) return openConfiguredStore({ store: { ...config.store, url: null, path: resolve(io.cwd, db) } });
  return openConfiguredStore({ store: { ...config.store, path: resolve(io.cwd, config.store.path) } });
}

function emit(output: string, values: Values, io: CliIo): void {
  io.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
  if (values.out) writeFileSync(resolve(io.cwd, values.out), output.endsWith('\n') ? output : `${output}\n`);
}

function feedsFromArgs(values: Values, config: Config): FeedSpec[] {
  if (!values.feed?.length) return config.feeds;
  return values.feed.map((url) => {
    try {
      const u = new URL(url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
    } catch {
      throw new UsageError(`--feed must be an http(s) URL (got "${url}")`);
    }
    const known = config.feeds.find((f) => f.url === url);
    return known ?? { url, name: undefined, outlet: undefined, intervalMs: undefined, fullText: undefined };
  });
}

async function commandOnce(values: Values, io: CliIo, logger: Logger): Promise<number> {
  const format = formatOf(values, io);
  if (values.since && Number.isNaN(Date.parse(values.since))) throw new UsageError(`--since must be an ISO time (got "${values.since}")`);
  const config = loadConfig({ file: values.config, env: io.env, cwd: io.cwd });
  const feeds = feedsFromArgs(values, config);
  if (feeds.length === 0) {
    throw new UsageError(`no feeds: pass --feed URL, or list feeds in ${config.configFile ?? DEFAULT_CONFIG_PATH}`);
  }
  // A --feed on a loopback host lets this run fetch from that host (feed and article pages alike).
  const allowHosts = new Set((values.feed ?? []).map((u) => normalizeHost(new URL(u).hostname)).filter((h) => isLoopbackHost(h)));
  const store = openStore(values, config, io);
  const http = createHttpClient(httpClientOptions(config, allowHosts));
  const progress = createProgress(io.stderr, 'polling feeds');
  activeProgress = progress;
  try {
    const result = await runOnce(
      {
        feeds,
        force: true,
        concurrency: config.fetch.concurrency,
        fullText: config.fetch.fullText,
        polling: config.polling,
        cluster: DEFAULT_CLUSTER_PARAMS,
        since: values.since,
        onProgress: (done, total, r) => progress.update(done, total, r.url),
        // Failed feeds are listed once, in the summary below, not also as a log line each.
        logFailures: false,
      },
      {
        http,
        store,
        logger,
        now: io.now ?? (() => new Date()),
        summarizer: createSummarizer(config, logger),
        // A bot (or another `once`) may be clustering the same database: wait for it, up to five minutes.
        lease: { holder: thisProcess(), isAlive: pidAlive, waitMs: 5 * 60_000 },
      },
    );
    const { poll, briefing } = result;
    progress.done();
    const output =
      format === 'json' ? JSON.stringify(briefing, null, 2) : renderBriefingText(briefing, { width: io.stdout.columns ?? 100 });
    emit(output, values, io);
    markOnceBriefed(store, result);
    const failed = poll.feeds.filter((f) => !f.ok);
    const added = poll.feeds.reduce((n, f) => n + f.newArticles, 0);
    const updated = poll.feeds.reduce((n, f) => n + f.updatedArticles, 0);
    io.stderr.write(
      `briefbot: ${plural(poll.feeds.length, 'feed')} polled (${poll.feeds.length - failed.length} ok, ${failed.length} failed) · ${added} new, ${updated} updated articles · ${plural(briefing.events.length, 'event')}\n`,
    );
    for (const f of failed) io.stderr.write(`  failed: ${f.url}: ${f.error}\n`);
    return 0;
  } finally {
    progress.done();
    activeProgress = null;
    http.close();
    store.close();
  }
}

async function commandBrief(query: string, values: Values, io: CliIo, logger: Logger): Promise<number> {
  const format = formatOf(values, io);
  const config = loadConfig({ file: values.config, env: io.env, cwd: io.cwd });
  const store = openStore(values, config, io);
  try {
    const briefing = await searchBriefing(query, {
      store,
      now: io.now ?? (() => new Date()),
      summarizer: createSummarizer(config, logger),
    });
    if (briefing.events.length === 0) {
      const latest = store.events.listLatest(5);
      io.stderr.write(
        latest.length
          ? `briefbot: no stored event matches "${query}". The latest events (try a word from one):\n${latest.map((e) => `  - ${e.title}\n`).join('')}`
          : `briefbot: no stored event matches "${query}", and there are no events yet: run \`briefbot once\` first\n`,
      );
    }
    const output =
      format === 'json' ? JSON.stringify(briefing, null, 2) : renderBriefingText(briefing, { width: io.stdout.columns ?? 100 });
    emit(output, values, io);
    return 0;
  } finally {
    store.close();
  }
}

/** Copies the SQLite database (--db, BRIEFBOT_DB or store.path) into an empty PostgreSQL database. */
function commandMigrateTo(url: string, values: Values, io: CliIo): number {
  const config = loadConfig({ file: values.config, env: io.env, cwd: io.cwd });
  const path = resolve(io.cwd, values.db ?? config.store.path);
  if (/^postgres(ql)?:\/\//.test(path) || !existsSync(path))
    throw new UsageError(`no SQLite database at ${path} (--db names the file to copy)`);
  io.stderr.write(`briefbot: copying ${path} into ${redactUrl(url)}\n`);
  const report = migrateSqliteToPostgres(path, url, { onTable: (table, rows) => io.stderr.write(`  ${table}: ${plural(rows, 'row')}\n`) });
  io.stdout.write(
    `Copied ${plural(
      report.tables.reduce((n, t) => n + t.rows, 0),
      'row',
    )} into ${report.to}. Point briefbot at it with DATABASE_URL (the SQLite file is left as it was).\n`,
  );
  return 0;
}

function commandFeeds(values: Values, io: CliIo): number {
  const format = formatOf(values, io);
  const config = loadConfig({ file: values.config, env: io.env, cwd: io.cwd });
  const store = openStore(values, config, io);
  try {
    const health = new Map(store.feeds.listHealth().map((h) => [h.url, h]));
    const rows: FeedRow[] = config.feeds.map((f) => ({
      ...(health.get(f.url) ?? emptyHealth(f.url)),
      name: f.name ?? null,
      configured: true,
    }));
    for (const [url, h] of health) if (!config.feeds.some((f) => f.url === url)) rows.push({ ...h, name: null, configured: false });
    const output =
      format === 'json' ? JSON.stringify({ feeds: rows }, null, 2) : renderFeedsText(rows, { now: (io.now ?? (() => new Date()))() });
    emit(output, values, io);
    return 0;
  } finally {
    store.close();
  }
}

function emptyHealth(url: string): Omit<FeedRow, 'name' | 'configured'> {
  return {
    url,
    title: null,
    etag: null,
    lastModified: null,
    lastPolledAt: null,
    lastSuccessAt: null,
    lastError: null,
    lastErrorCode: null,
    lastErrorAt: null,
    consecutiveFailures: 0,
    nextPollAt: null,
    status: 'new',
    lastWarnings: [],
    articleCount: 0,
  };
}

function commandFeedsImport(file: string, values: Values, io: CliIo): number {
  let opmlText: string;
  try {
    opmlText = readFileSync(resolve(io.cwd, file), 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${errorMessage(err)}`);
  }
  let parsed: ReturnType<typeof parseOpml>;
  try {
    parsed = parseOpml(opmlText);
  } catch (err) {
    throw new UsageError(`${file}: ${errorMessage(err)}`);
  }
  const target = resolve(io.cwd, values.config ?? io.env.BRIEFBOT_CONFIG ?? DEFAULT_CONFIG_PATH);
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    current = '';
  }
  const { text, added, skipped } = addFeedsToYaml(current, parsed.feeds);
  if (!values['dry-run']) {
    writeFileSync(target, text);
    // Validate what we wrote, so a bad OPML entry is reported now rather than at the next start.
    loadConfig({ file: target, env: io.env, cwd: io.cwd });
  }
  for (const f of added) io.stdout.write(`added    ${f.url}${f.name ? `  (${f.name})` : ''}\n`);
  for (const f of skipped) io.stdout.write(`present  ${f.url}\n`);
  const left = [
    `${skipped.length} already there`,
    ...(parsed.duplicates ? [`${plural(parsed.duplicates, 'repeated outline')} counted once`] : []),
    ...(parsed.skipped ? [`${plural(parsed.skipped, 'outline')} without an http(s) feed URL skipped`] : []),
  ];
  io.stderr.write(
    `briefbot: ${plural(added.length, 'feed')} ${values['dry-run'] ? 'would be ' : ''}added to ${target}; ${left.join(', ')}\n`,
  );
  return 0;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname);
if (isMain) {
  runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`briefbot: ${errorMessage(err)}\n`);
      process.exitCode = 1;
    },
  );
}

/** `briefbot <platform id> <command>`: a command a platform's descriptor declares (platforms/registry.ts). */
async function commandOfPlatform(id: string, rest: readonly string[], values: Values, io: CliIo): Promise<number> {
  const commands = findPlatform(id)?.commands ?? [];
  if (commands.length === 0) throw new UsageError(`unknown command "${id}"`);
  const command = commands.find((c) => c.name === rest[0]);
  if (!command || rest.length > 1) throw new UsageError(`usage: ${commands.map((c) => c.usage).join('\n       ')}`);
  const config = loadConfig({ file: values.config, env: io.env, cwd: io.cwd });
  return command.run({ settings: settingsOf(config, id), env: io.env, values, stdout: io.stdout });
}
