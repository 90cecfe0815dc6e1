import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.ts';
import { ConfigError } from '../../../src/shared/errors.ts';

function withFile(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'briefbot-config-'));
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

describe('config/load-config', () => {
  it('runs on embedded defaults when there is no config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'briefbot-empty-'));
    const config = loadConfig({ env: {}, cwd: dir });
    expect(config.configFile).toBeNull();
    expect(config.feeds).toEqual([]);
    expect(config.store.path).toBe('./data/briefbot.db');
    expect(config.fetch.allowPrivateAddresses).toBe(false);
    expect(config.polling.interval).toBe(15 * 60_000);
  });

  it('reads feeds with names, outlets and intervals', () => {
    const file = withFile(`
feeds:
  - url: https://example.org/rss.xml
    name: Example World
    outlet: Example News
    interval: 10m
polling:
  interval: 30m
`);
    const config = loadConfig({ file, env: {} });
    expect(config.feeds).toEqual([
      { url: 'https://example.org/rss.xml', name: 'Example World', outlet: 'Example News', intervalMs: 600_000, fullText: undefined },
    ]);
    expect(config.polling.interval).toBe(30 * 60_000);
  });

  it('reports every problem at once, with the key path, from the file and env together', () => {
    const file = withFile(`
feeds:
  - url: not-a-url
  - url: https://example.org/a.xml
    interval: soon
  - url: https://example.org/a.xml
fetch:
  timeout: forever
  concurency: 3
`);
    const err = configError(() => loadConfig({ file, env: { LOG_LEVEL: 'loud' } }));
    const text = err.message;
    expect(text).toContain('feeds[0].url: must be an http(s) URL');
    expect(text).toContain('feeds[1].interval: not a duration');
    expect(text).toContain('fetch.timeout: not a duration');
    expect(text).toContain('fetch: unknown key "concurency"');
    expect(text).toContain('env LOG_LEVEL');
    expect(err.issues.length).toBeGreaterThanOrEqual(5);
  });

  it('suggests the key meant for a mistyped one, and echoes a bad schedule and time zone', () => {
    const file = withFile(
      'feeds:\n  - url: https://a.example/f\n    intervall: 5m\nfetch:\n  timout: 5s\n  colour: red\nchannels:\n  - platform: console\n    id: x\n    schedule: "61 8 * * *"\n    timezone: Europe/Londn\n',
    );
    const err = configError(() => loadConfig({ file, env: {} }));
    expect(err.message).toContain('feeds[0]: unknown key "intervall" (did you mean "interval"?)');
    expect(err.message).toMatch(/fetch: unknown keys "timout" \(did you mean "timeout"\?\), "colour"$/m);
    expect(err.message).toContain('channels[0].schedule: not a cron expression: "61 8 * * *"');
    expect(err.message).toContain('channels[0].timezone: not an IANA time zone: "Europe/Londn"');
  });

  it('reports duplicate feed URLs', () => {
    const file = withFile('feeds:\n  - url: https://example.org/a.xml\n  - url: https://example.org/a.xml\n');
    expect(configError(() => loadConfig({ file, env: {} })).message).toContain('feeds[1].url: duplicate of feeds[0]');
  });

  it('refuses secrets in the file and says which env variable to use', () => {
    const file = withFile('slack:\n  botToken: xoxb-123\n');
    const err = configError(() => loadConfig({ file, env: {} }));
    expect(err.message).toContain('slack.botToken: secrets are read only from the environment (set SLACK_BOT_TOKEN)');
    expect(err.message).not.toContain('xoxb-123');
  });

  it('explains YAML syntax errors and unreadable files', () => {
    expect(configError(() => loadConfig({ file: withFile('feeds: [\n'), env: {} })).code).toBe('config_unreadable');
    expect(configError(() => loadConfig({ file: '/nonexistent/briefbot.yaml', env: {} })).message).toContain('Cannot read config file');
  });

  it('lets env override the database path and private-address policy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'briefbot-env-'));
    const config = loadConfig({ env: { BRIEFBOT_DB: '/tmp/x.db', BRIEFBOT_ALLOW_PRIVATE_ADDRESSES: 'true' }, cwd: dir });
    expect(config.store.path).toBe('/tmp/x.db');
    expect(config.fetch.allowPrivateAddresses).toBe(true);
  });

  it('prints a channel to the console, and says so, when its platform has no token', () => {
    const file = withFile(`
channels:
  - platform: slack
    id: C0NEWS
    name: "#news"
    schedule: "0 7 * * 1-5"
    timezone: Europe/London
  - platform: discord
    id: "1100000000000000020"
`);
    const config = loadConfig({ file, env: {} });
    expect(config.channels.map((c) => [c.platform, c.deliveredVia, c.timezone])).toEqual([
      ['slack', 'console', 'Europe/London'],
      ['discord', 'console', 'UTC'],
    ]);
    expect(config.notices.join('\n')).toMatch(/SLACK_BOT_TOKEN is not set/);
    expect(config.notices.join('\n')).toMatch(/DISCORD_TOKEN is not set/);

    const withTokens = loadConfig({ file, env: { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', DISCORD_TOKEN: 'x'.repeat(40) } });
    expect(withTokens.channels.map((c) => c.deliveredVia)).toEqual(['slack', 'discord']);
    expect(withTokens.slack?.mode).toBe('socket');
  });

  it('names every channel mistake at once: missing id, bad schedule, unknown time zone, a channel listed twice', () => {
    const file = withFile(`
channels:
  - platform: slack
  - platform: slack
    id: C1
    schedule: "every morning"
  - platform: slack
    id: C1
    timezone: Mars/Olympus
`);
    const err = configError(() => loadConfig({ file, env: {} }));
    const text = err.message + err.issues.join('\n');
    expect(text).toMatch(/channels\[0\]\.id/);
    expect(text).toMatch(/channels\[1\]\.schedule/);
    expect(text).toMatch(/channels\[2\]\.timezone/);
  });

  it('asks for the Slack tokens each mode needs, and refuses tokens in the file', () => {
    const socket = configError(() => loadConfig({ file: withFile('channels: []'), env: { SLACK_BOT_TOKEN: 'xoxb-1' } }));
    expect(socket.issues.join('\n')).toMatch(/SLACK_APP_TOKEN: required in Socket Mode/);
    const http = configError(() => loadConfig({ file: withFile('slack:\n  mode: http'), env: { SLACK_BOT_TOKEN: 'xoxb-1' } }));
    expect(http.issues.join('\n')).toMatch(/SLACK_SIGNING_SECRET: required when slack.mode is http/);
    const wrongKind = configError(() => loadConfig({ file: withFile('channels: []'), env: { SLACK_BOT_TOKEN: 'xoxp-user-token' } }));
    expect(wrongKind.issues.join('\n')).toMatch(/xoxb-/);
    const secret = configError(() => loadConfig({ file: withFile('slack:\n  token: xoxb-1'), env: {} }));
    expect(secret.issues.join('\n')).toMatch(/SLACK_BOT_TOKEN/);
  });

  it('treats an empty variable, as copied from .env.example, as not set', () => {
    const config = loadConfig({
      file: withFile('channels: []'),
      env: { SLACK_BOT_TOKEN: '', BRIEFBOT_DB: '', LLM_BASE_URL: '', HTTP_PORT: ' ' },
    });
    expect(config.slack).toBeNull();
    expect(config.llm).toBeNull();
    expect(config.store.path).toBe('./data/briefbot.db');
  });
});
