/** A one-line progress indicator on stderr, only when stderr is a terminal. */
export interface Progress {
  update(done: number, total: number, detail?: string): void;
  done(): void;
}

export function createProgress(stream: NodeJS.WriteStream, label: string): Progress {
  if (!stream.isTTY) return { update() {}, done() {} };
  let shown = false;
  return {
    update(done, total, detail) {
      const width = stream.columns ?? 80;
      const line = `${label} ${done}/${total}${detail ? ` · ${detail}` : ''}`.slice(0, width - 1);
      stream.write(`\r\x1b[2K${line}`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}
