/**
 * @module The console platform: briefs printed to stdout as a person reads them in a terminal. It is
 * what runs when no Slack or Discord token is set, so `npm start` shows a newcomer a real brief.
 */
import type { ChatPlatform, PostResult } from '../chat-platform.ts';
import { renderForConsole } from '../present/console-text.ts';

export interface ConsoleOptions {
  write?: (text: string) => void;
  width?: number;
}

export function createConsolePlatform(options: ConsoleOptions = {}): ChatPlatform {
  const write = options.write ?? ((text: string) => process.stdout.write(`${text}\n`));
  let counter = 0;
  return {
    name: 'console',
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    connected: () => true,
    post(request): Promise<PostResult> {
      write(renderForConsole(request.content, options.width ?? 100));
      counter++;
      const ref = `console-${counter}`;
      return Promise.resolve({ messageRef: ref, threadRef: request.threadRef ?? ref });
    },
  };
}
