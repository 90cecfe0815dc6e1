/** Runs the CLI in-process with captured stdout/stderr. */
import { runCli } from '../../src/cli/cli.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runBriefbot(
  args: string[],
  opts: { cwd: string; env?: Record<string, string | undefined>; now?: () => Date },
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = {
    write: (s: string) => {
      stdout += s;
      return true;
    },
    isTTY: false,
  };
  const err = {
    write: (s: string) => {
      stderr += s;
      return true;
    },
    isTTY: false,
  } as unknown as NodeJS.WriteStream;
  const code = await runCli(args, { stdout: out, stderr: err, env: opts.env ?? {}, cwd: opts.cwd, ...(opts.now ? { now: opts.now } : {}) });
  return { code, stdout, stderr };
}
