/**
 * A one-line progress indicator on stderr, only when stderr is a terminal. Log lines written while it
 * shows go through `interrupt`: the progress line is cleared, the log line written, and the progress
 * drawn again below it, so the two never run into each other.
 */
export interface Progress {
  update(done: number, total: number, detail?: string): void;
  /** Writes a whole line to the stream above the progress line. */
  interrupt(line: string): void;
  done(): void;
}

export function createProgress(stream: NodeJS.WriteStream, label: string): Progress {
  if (!stream.isTTY) return { update() {}, interrupt: (line) => void stream.write(`${line}\n`), done() {} };
  let current = '';
  const draw = () => {
    if (current) stream.write(`\r\x1b[2K${current}`);
  };
  return {
    update(done, total, detail) {
      const width = stream.columns ?? 80;
      current = `${label} ${done}/${total}${detail ? ` · ${detail}` : ''}`.slice(0, width - 1);
      draw();
    },
    interrupt(line) {
      stream.write(`${current ? '\r\x1b[2K' : ''}${line}\n`);
      draw();
    },
    done() {
      if (current) stream.write('\r\x1b[2K');
      current = '';
    },
  };
}
