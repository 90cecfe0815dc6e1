/**
 * Vitest globalSetup: one throwaway PostgreSQL server per `vitest run`, for the tests that use
 * `helpers/postgres.ts`. Its admin URL reaches the test processes through `provide('postgresAdminUrl')`
 * (null when there is no server); each test then makes its own empty database on it.
 *
 * - `BRIEFBOT_TEST_POSTGRES_URL` set (e.g. postgres://postgres@127.0.0.1:5432/postgres): that server is used
 *   as it is; the role must be allowed to CREATE and DROP databases.
 * - Otherwise `initdb` and `pg_ctl` (the highest version under /usr/lib/postgresql/<v>/bin, as Debian and
 *   Ubuntu install them, else from PATH) make a cluster in a temp folder (in RAM when /dev/shm allows),
 *   started on a free port of 127.0.0.1 with durability off (fsync, synchronous_commit, full_page_writes):
 *   under a second. As root (CI), both run as the `postgres` user, since initdb refuses root. Teardown
 *   stops it and removes the folder.
 * - Neither works: with `BRIEFBOT_REQUIRE_POSTGRES=1` (CI) the run fails with what was tried; else one line
 *   says the PostgreSQL tests are skipped, and they are.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the run's PostgreSQL server (a role that may create databases), or null: no server. */
    postgresAdminUrl: string | null;
  }
}

const run = promisify(execFile);

interface PgBinaries {
  initdb: string;
  pgCtl: string;
}

/** A throwaway server: its admin URL, and a synchronous stop that also removes its folder. */
export interface Cluster {
  url: string;
  stop(): void;
}

export default async function setup(project: TestProject): Promise<() => void> {
  const required = process.env.BRIEFBOT_REQUIRE_POSTGRES === '1';
  const external = process.env.BRIEFBOT_TEST_POSTGRES_URL;
  let cluster: Cluster | null = null;
  let url: string | null = null;
  try {
    if (external) {
      await checkServer(external);
      url = external;
    } else {
      cluster = await startCluster();
      url = cluster.url;
    }
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    if (required) throw new Error(`BRIEFBOT_REQUIRE_POSTGRES=1 but no PostgreSQL for the tests: ${why}`);
    process.stdout.write(`PostgreSQL tests skipped: ${oneLine(why)} (see test/helpers/postgres-global-setup.ts)\n`);
  }
  project.provide('postgresAdminUrl', url);
  const teardown = (): void => {
    process.off('exit', teardown);
    const c = cluster;
    cluster = null;
    c?.stop();
  };
  // Ctrl-C or a crash of Vitest must not leave a server running.
  process.on('exit', teardown);
  return teardown;
}

async function checkServer(url: string): Promise<void> {
  const { default: pg } = await import('pg'); // only here: a run with its own cluster need not load it
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(`cannot reach BRIEFBOT_TEST_POSTGRES_URL (${redact(url)}): ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Starts a throwaway cluster as described above (also how `npm run bench` gets one). */
export async function startCluster(): Promise<Cluster> {
  const bin = findBinaries();
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? postgresUser() : null;
  const runuser = asRoot ? findRunuser() : '';
  const root = mkdtempSync(join(clusterBase(asRoot), 'briefbot-pg-'));
  const data = join(root, 'data');
  const log = join(root, 'server.log');
  chmodSync(root, 0o700);
  if (owner) chownSync(root, owner.uid, owner.gid);
  const exec = (file: string, args: string[]) => {
    const [cmd, argv] = asRoot ? [runuser, ['-u', 'postgres', '--', file, ...args]] : [file, args];
    return run(cmd, argv, { cwd: root, timeout: 60_000, env: { ...process.env, LC_ALL: 'C' } });
  };
  const remove = () => rmSync(root, { recursive: true, force: true });
  try {
    // --no-sync: nothing is kept after the run, so nothing need reach the disk.
    await exec(bin.initdb, [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
      '--no-instructions',
    ]);
  } catch (error) {
    remove();
    throw new Error(`${bin.initdb} failed${asRoot ? ' (run as postgres via runuser)' : ''}: ${stderrOf(error)}`);
  }
  // Synchronous: it also runs from process.on('exit').
  const stopServer = () => {
    try {
      const [cmd, argv] = asRoot
        ? [runuser, ['-u', 'postgres', '--', bin.pgCtl, '-D', data, '-m', 'immediate', '-w', 'stop']]
        : [bin.pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']];
      execFileSync(cmd, argv, { cwd: '/', stdio: 'ignore', timeout: 30_000 });
    } catch {
      // Not running: nothing to stop.
    }
  };
  // Another process may take the free port between our look and the server's bind: try again on another.
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const options = [
      `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories='${root}'`,
      '-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200',
    ].join(' ');
    try {
      // -l: the server must not hold our stdout pipe open after pg_ctl returns.
      await exec(bin.pgCtl, ['-D', data, '-l', log, '-o', options, '-w', '-t', '30', 'start']);
    } catch (error) {
      lastError = `${stderrOf(error)}\n${tail(log)}`.trim();
      stopServer(); // in case it came up after all (pg_ctl's wait timed out)
      continue;
    }
    const stop = () => {
      stopServer();
      remove();
    };
    return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
  }
  remove();
  throw new Error(`${bin.pgCtl} start failed three times: ${lastError}`);
}

/** initdb and pg_ctl of the highest PostgreSQL under /usr/lib/postgresql, else from PATH. */
function findBinaries(): PgBinaries {
  const tried: string[] = [];
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => /^\d+(\.\d+)?$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const version of versions) {
    const dir = join(base, version, 'bin');
    if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) {
      return { initdb: join(dir, 'initdb'), pgCtl: join(dir, 'pg_ctl') };
    }
  }
  tried.push(`${base}/*/bin`);
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) {
      return { initdb: join(dir, 'initdb'), pgCtl: join(dir, 'pg_ctl') };
    }
  }
  tried.push('PATH');
  throw new Error(
    `no initdb/pg_ctl found (looked in ${tried.join(' and ')}): install PostgreSQL (Debian: apt-get install postgresql) or set BRIEFBOT_TEST_POSTGRES_URL`,
  );
}

const TMPFS_MAGIC = 0x01021994;

/**
 * Where the cluster lives. CREATE DATABASE writes some 600 files: about 10 ms on tmpfs, 250 ms on a disk,
 * for each test's fresh database. So RAM (/dev/shm) when it is a tmpfs with room to spare (Docker's default
 * 64 MB is not), else the temp folder; as root /tmp, which `postgres` can reach (a TMPDIR under /root it cannot).
 */
function clusterBase(asRoot: boolean): string {
  try {
    const fs = statfsSync('/dev/shm');
    if (fs.type === TMPFS_MAGIC && fs.bavail * fs.bsize >= 1024 ** 3) return '/dev/shm';
  } catch {
    // No /dev/shm (macOS): the temp folder.
  }
  return asRoot ? '/tmp' : tmpdir();
}

/** util-linux's runuser: /usr/sbin is not on every PATH. */
function findRunuser(): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  const found = dirs.map((dir) => join(dir, 'runuser')).find((file) => existsSync(file));
  if (!found) throw new Error('running as root and no runuser (util-linux) to run initdb as `postgres` (initdb refuses root)');
  return found;
}

function postgresUser(): { uid: number; gid: number } {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error('running as root and there is no `postgres` user to run initdb as (initdb refuses root)');
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function stderrOf(error: unknown): string {
  const e = error as { stderr?: string; message?: string };
  return (e.stderr?.trim() || e.message || String(error)).slice(0, 2_000);
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-10).join('\n');
  } catch {
    return '';
  }
}

function oneLine(text: string): string {
  const line = text.replace(/\s*\n\s*/g, ' | ');
  return line.length > 400 ? `${line.slice(0, 400)}…` : line;
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
