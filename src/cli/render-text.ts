/**
 * @module Pure: what the CLI prints: a whole Briefing as a person reads it in a terminal (each event
 * rendered by the console presentation, platforms/present/console-text.ts) and the feed health table.
 */
import type { Briefing } from '../core/types.ts';
import { formatTime, renderEventText, wrap } from '../platforms/present/console-text.ts';
import { plural, uniqueSourceCount } from '../platforms/present/labels.ts';
import { NO_NEW_EVENTS } from '../platforms/present/replies.ts';
import type { FeedHealth } from '../store/ports.ts';

export interface TextOptions {
  width?: number;
  now?: Date;
}

export function renderBriefingText(b: Briefing, options: TextOptions = {}): string {
  const width = Math.max(60, Math.min(options.width ?? 100, 120));
  const head = `briefbot · ${formatTime(b.generatedAt)} · ${plural(b.events.length, 'event')} from ${plural(uniqueSourceCount(b.events), 'source')}`;
  const out = [head, '='.repeat(Math.min(width, head.length)), ''];
  if (b.events.length === 0) out.push(NO_NEW_EVENTS, '');
  b.events.forEach((ev, i) => {
    out.push(renderEventText(ev, i + 1, width), '');
  });
  const failed = b.feeds.filter((f) => !f.ok);
  if (failed.length) {
    out.push(`${failed.length} of ${b.feeds.length} feeds failed:`);
    for (const f of failed) out.push(wrap(`${f.url}: ${f.error ?? 'failed'}`, width, '    ', '  - '));
    out.push('');
  }
  return out.join('\n');
}

function relative(iso: string | null, now: Date): string {
  if (!iso) return 'never';
  const diff = Date.parse(iso) - now.getTime();
  const abs = Math.abs(diff);
  const unit =
    abs < 90_000
      ? `${Math.round(abs / 1000)}s`
      : abs < 5_400_000
        ? `${Math.round(abs / 60_000)}m`
        : abs < 172_800_000
          ? `${Math.round(abs / 3_600_000)}h`
          : `${Math.round(abs / 86_400_000)}d`;
  return diff >= 0 ? `in ${unit}` : `${unit} ago`;
}

export interface FeedRow extends FeedHealth {
  name: string | null;
  configured: boolean;
}

export function renderFeedsText(rows: readonly FeedRow[], options: TextOptions = {}): string {
  const now = options.now ?? new Date();
  if (rows.length === 0) return 'No feeds configured or polled yet. Add feeds to config/briefbot.yaml or run `briefbot once --feed URL`.\n';
  const out: string[] = [];
  for (const r of rows) {
    const label = r.name ?? r.title ?? r.url;
    out.push(`${r.status.toUpperCase().padEnd(9)} ${label}${r.configured ? '' : '  (not in config)'}`);
    out.push(`          ${r.url}`);
    const failures = r.consecutiveFailures ? ` · ${r.consecutiveFailures} failure${r.consecutiveFailures === 1 ? '' : 's'} in a row` : '';
    out.push(
      `          last success ${relative(r.lastSuccessAt, now)} · next poll ${r.nextPollAt ? relative(r.nextPollAt, now) : 'now'} · ${r.articleCount} articles${failures}`,
    );
    if (r.lastError) out.push(`          last error (${relative(r.lastErrorAt, now)}): ${r.lastError}`);
    if (r.lastWarnings.length) out.push(`          repaired: ${r.lastWarnings.join('; ')}`);
    out.push('');
  }
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  out.push(`${rows.length} feeds: ${[...counts].map(([k, v]) => `${v} ${k}`).join(', ')}`);
  return `${out.join('\n')}\n`;
}
