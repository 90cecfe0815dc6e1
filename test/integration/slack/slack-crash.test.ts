/**
 * The promise that matters most to a channel: a brief is never posted twice, even when briefbot dies
 * between Slack accepting a message and briefbot recording it. The real process (`node src/main.ts`)
 * is killed with SIGKILL while Slack's answer to chat.postMessage is held back, then started again.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type FakeFeedServer, startFakeFeedServer } from '../../fakes/fake-feed-server.ts';
import { type FakeMessage, type FakeSlackApi, startFakeSlackApi } from '../../fakes/fake-slack-api.ts';
import { serveStories, tempDir } from '../../helpers/bot-harness.ts';
import { KURSK } from '../../helpers/kursk-stories.ts';
import { FLOOD } from '../../helpers/stories.ts';

const CHANNEL = 'C0CRASH';
const MAIN = join(import.meta.dirname, '../../../src/main.ts');

let feeds: FakeFeedServer;
let slack: FakeSlackApi;
let dir: string;
let child: ChildProcess | null = null;
let stderr = '';

function startBot(): ChildProcess {
  const proc = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      BRIEFBOT_CONFIG: join(dir, 'briefbot.yaml'),
      SLACK_BOT_TOKEN: 'xoxb-crash-test',
      SLACK_SIGNING_SECRET: 'crash-test-signing-secret',
      SLACK_API_URL: slack.apiUrl,
      HTTP_PORT: '0',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  proc.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return proc;
}

async function kill(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGKILL');
  await exited;
}

const topLevel = (): FakeMessage[] => slack.messages(CHANNEL).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
const keys = () => slack.messages(CHANNEL).map((m) => m.metadata?.event_payload.key);

beforeEach(async () => {
  feeds = await startFakeFeedServer();
  slack = await startFakeSlackApi();
  dir = tempDir('crash');
  stderr = '';
  const urls = serveStories(feeds, [...KURSK, ...FLOOD]);
  writeFileSync(
    join(dir, 'briefbot.yaml'),
    stringify({
      feeds: urls.map((url) => ({ url })),
      fetch: { allowPrivateAddresses: true },
      store: { path: join(dir, 'briefbot.db') },
      channels: [{ platform: 'slack', id: CHANNEL, schedule: '0 8 * * *', briefOnStart: true }],
      slack: { mode: 'http', port: 0 },
    }),
  );
});

afterEach(async () => {
  if (child) await kill(child);
  child = null;
  await slack.close();
  await feeds.close();
});

describe('Slack: a crash between posting and recording', () => {
  it.each([
    { when: 'the parent message', after: 0 },
    { when: 'the first event reply', after: 1 },
  ])(
    'posts nothing twice when briefbot dies just after Slack accepted $when',
    async ({ after }) => {
      const release = slack.hold('chat.postMessage', { after });
      child = startBot();
      // Slack has the message; briefbot is still waiting for the answer when it dies.
      await slack.waitFor(() => slack.messages(CHANNEL).length === after + 1, 20_000, 'the held message');
      await kill(child);
      release();

      child = startBot();
      await slack.waitFor(() => slack.messages(CHANNEL).length >= 3, 20_000, 'the rest of the brief');
      // Give a duplicate every chance to appear.
      await new Promise((r) => setTimeout(r, 1_500));
      await kill(child);

      expect(topLevel(), stderr).toHaveLength(1);
      const parent = topLevel()[0] as FakeMessage;
      expect(slack.thread(CHANNEL, parent.ts)).toHaveLength(3);
      expect(new Set(keys()).size).toBe(keys().length);
    },
    60_000,
  );
});
