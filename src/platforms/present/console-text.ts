/**
 * @module Pure: briefs as a person reads them in a terminal, the console platform's output and the
 * CLI's (`briefbot once`): numbered events, the summary, what's disputed with numbered source
 * references, and the sources with outlet, time and URL, wrapped to a width.
 */
import type { EventBrief } from '../../core/types.ts';
import type { DeliveryContent } from '../chat-platform.ts';
import { isoMinute, plural, sourceNumber, uniqueSourceCount } from './labels.ts';
import { type DeliveryRenderer, type ParentLabel, renderDelivery } from './render-delivery.ts';

/** Words of `text` wrapped to `width`, the first line after `firstIndent`, the others after `indent`. */
export function wrap(text: string, width: number, indent: string, firstIndent = indent): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = firstIndent;
  let empty = true;
  for (const w of words) {
    if (!empty && line.length + 1 + w.length > width) {
      lines.push(line);
      line = indent + w;
    } else {
      line += (empty ? '' : ' ') + w;
    }
    empty = false;
  }
  if (!empty) lines.push(line);
  return lines.join('\n');
}

/** "2027-04-26 12:05 UTC". */
export const formatTime = isoMinute;

/** An event's span in the terminal's form: "2027-04-26 06:10 UTC–07:05" within a day, both full times across days. */
function terminalSpan(ev: EventBrief): string {
  return ev.firstPublishedAt.slice(0, 10) === ev.lastPublishedAt.slice(0, 10)
    ? `${formatTime(ev.firstPublishedAt)}${ev.articles > 1 ? `–${ev.lastPublishedAt.slice(11, 16)}` : ''}`
    : `${formatTime(ev.firstPublishedAt)} – ${formatTime(ev.lastPublishedAt)}`;
}

function disputedLines(ev: EventBrief, width: number): string[] {
  const out: string[] = [];
  if (ev.disputed.length) {
    out.push("    What's disputed");
    for (const d of ev.disputed) {
      out.push(wrap(d.point, width, '      ', '    • '));
      for (const side of d.sides) {
        const refs = side.sources.map((u) => `[${sourceNumber(ev.sources, u)}]`).join('');
        out.push(wrap(`${side.by}: ${side.claim} ${refs}`, width, '        ', '      – '));
      }
    }
    out.push('');
  } else if (ev.noDisputeNote) {
    out.push(wrap(`What's disputed: ${ev.noDisputeNote}`, width, '    '));
    out.push('');
  }
  return out;
}

/** One numbered event: title, counts and span, summary, what's disputed, sources. */
export function renderEventText(ev: EventBrief, index: number, width: number): string {
  const out: string[] = [];
  out.push(wrap(ev.title, width, '    ', `${String(index).padStart(2)}. `));
  out.push(`    ${plural(ev.articles, 'article')} · ${plural(ev.independentSources, 'independent source')} · ${terminalSpan(ev)}`);
  if (ev.relatedTo) out.push(`    follows earlier event ${ev.relatedTo}`);
  out.push('');
  for (const s of ev.summary) out.push(wrap(s, width, '    '));
  if (ev.summary.length) out.push('');
  out.push(...disputedLines(ev, width));
  out.push('    Sources');
  ev.sources.forEach((s, i) => {
    const copy = s.independent ? '' : ' (copy of another source)';
    out.push(wrap(`${s.outlet} — ${s.title} (${formatTime(s.publishedAt)})${copy}`, width, '         ', `    [${i + 1}] `));
    if (s.url) out.push(`         ${s.url}`);
  });
  return out.join('\n');
}

/** The head of a brief in the terminal: title, long date in its zone, counts, underlined. */
function parentText(title: string, events: readonly EventBrief[], label: ParentLabel, width: number): string {
  const when = new Intl.DateTimeFormat('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: label.timezone,
    timeZoneName: 'short',
  }).format(label.now);
  const head = `${title} · ${when} · ${plural(events.length, 'event')} from ${plural(uniqueSourceCount(events), 'source')}`;
  return `\n${head}\n${'='.repeat(Math.min(width, head.length))}`;
}

/** The terminal's markup for each kind of delivery, wrapped to `width`. */
export function consoleRenderer(width: number): DeliveryRenderer<string> {
  return {
    briefingParent: (briefing, label) => parentText(label.heading ?? 'News brief', briefing.events, label, width),
    onDemandParent: (topic, briefing, label) => parentText(`Brief on “${topic}”`, briefing.events, label, width),
    event: (event, index) => `\n${renderEventText(event, index, width)}`,
    update(event, { newSources, newPoints }) {
      const lines = [`\nUpdate on: ${event.title}`];
      if (newSources.length) lines.push(`  ${plural(newSources.length, 'new source')}:`);
      for (const s of newSources)
        lines.push(wrap(`${s.outlet} — ${s.title} (${formatTime(s.publishedAt)}) ${s.url ?? ''}`, width, '      ', '    - '));
      for (const p of newPoints) lines.push(wrap(`Newly disputed: ${p.point}`, width, '      ', '    • '));
      return lines.join('\n');
    },
    sources: (events) =>
      events
        .map((e) =>
          [
            `\nSources for: ${e.title}`,
            ...e.sources.map((s, i) => wrap(`${s.outlet} — ${s.title} ${s.url ?? ''}`, width, '        ', `    [${i + 1}] `)),
          ].join('\n'),
        )
        .join('\n'),
    noMatch: (topic, latest) => `\nNothing matches “${topic}”. Latest events:\n${latest.map((e) => `  - ${e.title}`).join('\n')}`,
    notice: (text) => `\n${text}`,
  };
}

/** A delivery as terminal text. */
export function renderForConsole(content: DeliveryContent, width = 100): string {
  return renderDelivery(content, consoleRenderer(width));
}
