import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.ts';
import { PLATFORMS, platformDescriptors, platformsToStart } from '../../../src/platforms/registry.ts';
import { ConfigError } from '../../../src/shared/errors.ts';

function withFile(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'briefbot-registry-'));
  const file = join(dir, 'briefbot.yaml');
  writeFileSync(file, yaml);
  return file;
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

/** Keys of the core config: a platform's settings live beside them under its id, so no id may be one. */
const CORE_CONFIG_KEYS = ['configFile', 'feeds', 'fetch', 'polling', 'store', 'log', 'llm', 'channels', 'bot', 'http', 'notices'];
/** The CLI's own commands: a platform's commands run as `briefbot <id> …`. */
const CLI_COMMANDS = ['once', 'brief', 'feeds', 'help'];

describe('platforms/registry', () => {
  it('lists each platform once, under an id that clashes with no config key or CLI command, with one fallback', () => {
    const ids = platformDescriptors.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(CORE_CONFIG_KEYS).not.toContain(id);
      expect(CLI_COMMANDS).not.toContain(id);
    }
    expect(platformDescriptors.filter((d) => d.fallback).map((d) => d.id)).toEqual(['console']);
    expect(PLATFORMS.map((d) => d.id)).toEqual(['console', 'slack', 'discord', 'webhook']);
  });

  it('gives every environment variable to one platform only, each named after its platform', () => {
    const seen = new Map<string, string>();
    for (const d of platformDescriptors) {
      for (const name of Object.keys(d.env)) {
        expect(name).toMatch(new RegExp(`^${d.id.toUpperCase()}_[A-Z0-9_]+$`));
        expect(seen.get(name)).toBeUndefined();
        seen.set(name, d.id);
      }
    }
  });

  it('starts every configured platform, and the console only when a channel prints there or nothing else is configured', () => {
    const ids = (config: object, via: string[]) =>
      platformsToStart(
        config,
        via.map((deliveredVia) => ({ deliveredVia })),
      ).map((d) => d.id);
    const none = { console: {}, slack: null, discord: null, webhook: null };
    expect(ids(none, [])).toEqual(['console']);
    const webhookOnly = { ...none, webhook: { url: 'http://127.0.0.1/x' } };
    expect(ids(webhookOnly, ['webhook'])).toEqual(['webhook']);
    expect(ids(webhookOnly, ['webhook', 'console'])).toEqual(['console', 'webhook']);
  });

  it('configures a platform from its variables and its section of the file, through the registry alone', () => {
    const file = withFile('channels:\n  - platform: webhook\nwebhook:\n  format: text\n  timeout: 3s\n');
    const config = loadConfig({ file, env: { WEBHOOK_URL: 'https://hooks.example.org/briefbot' } });
    expect(config.webhook).toEqual({ url: 'https://hooks.example.org/briefbot', format: 'text', timeoutMs: 3000 });
    expect(config.channels[0]).toMatchObject({ platform: 'webhook', deliveredVia: 'webhook', id: 'webhook-0', name: 'webhook' });
    expect(config.notices).toEqual([]);
  });

  it('prints a platform channel to the console, and names the missing variable, when the platform is not configured', () => {
    const config = loadConfig({ file: withFile('channels:\n  - platform: webhook\n    name: ops\n'), env: {} });
    expect(config.webhook).toBeNull();
    expect(config.channels[0]).toMatchObject({ platform: 'webhook', deliveredVia: 'console', briefOnStart: true });
    expect(config.notices).toEqual(['channels[0] (ops): WEBHOOK_URL is not set, so its briefs are printed to the console']);
  });

  it("reports a platform's bad variable and section with the core's, and refuses a platform that is not registered", () => {
    const file = withFile('channels:\n  - platform: teams\n    id: T1\nwebhook:\n  format: xml\n');
    const err = configError(() => loadConfig({ file, env: { WEBHOOK_URL: 'ftp://example.org', LOG_LEVEL: 'loud' } }));
    const text = err.issues.join('\n');
    expect(text).toMatch(/^channels\[0\]\.platform: /m);
    expect(text).toMatch(/^webhook\.format: /m);
    expect(text).toContain('env WEBHOOK_URL: must be an http(s) URL');
    expect(text).toMatch(/^env LOG_LEVEL: /m);
  });

  it('loads the config, the registry and the CLI without loading a platform library', () => {
    // A child process records every module specifier resolved while these are imported.
    const script = `
      import { registerHooks } from 'node:module';
      const seen = [];
      registerHooks({ resolve(specifier, context, next) { seen.push(specifier); return next(specifier, context); } });
      await import('./src/cli/cli.ts');
      await import('./src/config/load-config.ts');
      await import('./src/platforms/registry.ts');
      process.stdout.write(JSON.stringify(seen));
    `;
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const seen = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: root }),
    ) as string[];
    expect(seen).toContain('./slack/descriptor.ts');
    expect(seen).toContain('./discord/descriptor.ts');
    expect(seen.filter((s) => /^(discord\.js|@slack\/)/.test(s))).toEqual([]);
  });
});
