/**
 * @module The console platform: briefs printed to stdout as a person reads them in a terminal. It is
 * what runs when no Slack or Discord token is set, so `npm start` shows a newcomer a real brief.
 */
import { formatTime, renderEventText, wrap } from '../../cli/render-text.ts';
import type { ChatPlatform, DeliveryContent, PostResult } from '../chat-platform.ts';

export interface ConsoleOptions {
  write?: (text: string) => void;
  width?: number;
}

export function renderForConsole(content: DeliveryContent, width = 100): string {
  switch (content.kind) {
    case 'parent': {
      const b = content.briefing;
      const sources = new Set(b.events.flatMap((e) => e.sources.map((s) => s.articleId))).size;
      const when = new Intl.DateTimeFormat('en-GB', {
        weekday: 'long',
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        timeZone: content.timezone,
        timeZoneName: 'short',
      }).format(new Date(b.generatedAt));
      const title = content.topic ? `Brief on “${content.topic}”` : (content.heading ?? 'News brief');
      const head = `${title} · ${when} · ${b.events.length} event${b.events.length === 1 ? '' : 's'} from ${sources} source${sources === 1 ? '' : 's'}`;
      return `\n${head}\n${'='.repeat(Math.min(width, head.length))}`;
    }
    case 'event':
      return `\n${renderEventText(content.event, content.index, width)}`;
    case 'update': {
      const lines = [`\nUpdate on: ${content.event.title}`];
      if (content.newSources.length) lines.push(`  ${content.newSources.length} new source${content.newSources.length === 1 ? '' : 's'}:`);
      for (const s of content.newSources)
        lines.push(wrap(`${s.outlet} — ${s.title} (${formatTime(s.publishedAt)}) ${s.url ?? ''}`, width, '      ', '    - '));
      for (const p of content.newPoints) lines.push(wrap(`Newly disputed: ${p.point}`, width, '      ', '    • '));
      return lines.join('\n');
    }
    case 'sources':
      return content.events
        .map((e) =>
          [
            `\nSources for: ${e.title}`,
            ...e.sources.map((s, i) => wrap(`${s.outlet} — ${s.title} ${s.url ?? ''}`, width, '        ', `    [${i + 1}] `)),
          ].join('\n'),
        )
        .join('\n');
    case 'no_match':
      return `\nNothing matches “${content.topic}”. Latest events:\n${content.latest.map((e) => `  - ${e.title}`).join('\n')}`;
    case 'notice':
      return `\n${content.text}`;
  }
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
