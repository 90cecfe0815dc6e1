import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDotEnv } from '../../../src/config/dotenv.ts';
import { loadConfig } from '../../../src/config/load-config.ts';

describe('config/dotenv', () => {
  it('reads .env from the working directory, the environment winning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'briefbot-dotenv-'));
    writeFileSync(
      join(dir, '.env'),
      '# tokens\nSLACK_BOT_TOKEN=xoxb-from-file\nSLACK_APP_TOKEN="xapp-from-file"\nBRIEFBOT_DB=from-file.db\nLOG_LEVEL=\n',
    );
    const env = withDotEnv({ BRIEFBOT_DB: 'from-env.db', LOG_LEVEL: 'warn' }, dir);
    expect(env).toMatchObject({
      SLACK_BOT_TOKEN: 'xoxb-from-file',
      SLACK_APP_TOKEN: 'xapp-from-file',
      BRIEFBOT_DB: 'from-env.db',
      LOG_LEVEL: 'warn',
    });
    const config = loadConfig({ env, cwd: dir });
    expect(config.slack?.botToken).toBe('xoxb-from-file');
    expect(config.store.path).toBe('from-env.db');
  });

  it('changes nothing without a .env file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'briefbot-nodotenv-'));
    const env = { A: '1' };
    expect(withDotEnv(env, dir)).toBe(env);
  });
});
