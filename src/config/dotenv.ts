/**
 * @module `.env` in the working directory, as `.env.example` suggests: its variables are used where the
 * environment does not set them (the environment always wins). Parsed with Node's own `util.parseEnv`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

export function withDotEnv(env: Record<string, string | undefined>, cwd: string): Record<string, string | undefined> {
  const file = resolve(cwd, '.env');
  if (!existsSync(file)) return env;
  const fromFile = parseEnv(readFileSync(file, 'utf8'));
  const merged: Record<string, string | undefined> = { ...fromFile };
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') merged[k] = v;
  return merged;
}
