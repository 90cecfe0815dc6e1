/**
 * @module Pure: a Briefing as a person reads it in a terminal: numbered events, the summary, what's
 * disputed with numbered source references, and the sources with outlet, time and URL.
 */
import type { Briefing, EventBrief, SourceRef } from '../core/types.ts';
import type { FeedHealth } from '../store/ports.ts';

export interface TextOptions {
  width?: number;
  now?: Date;
}

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

export function formatTime(iso: string): string {
  if (!iso) return 'unknown time';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}

function sourceNumber(sources: readonly SourceRef[], url: string): number {
  return sources.findIndex((s) => s.url === url) + 1;
}

export function renderEventText(ev: EventBrief, index: number, width: number): string {
  const out: string[] = [];
  out.push(wrap(ev.title, width, '    ', `${String(index).padStart(2)}. `));
  const span =
    ev.firstPublishedAt.slice(0, 10) === ev.lastPublishedAt.slice(0, 10)
      ? `${formatTime(ev.firstPublishedAt)}${ev.articles > 1 ? `–${ev.lastPublishedAt.slice(11, 16)}` : ''}`
      : `${formatTime(ev.firstPublishedAt)} – ${formatTime(ev.lastPublishedAt)}`;
  out.push(
    `    ${ev.articles} article${ev.articles === 1 ? '' : 's'} · ${ev.independentSources} independent source${ev.independentSources === 1 ? '' : 's'} · ${span}`,
  );
  if (ev.relatedTo) out.push(`    follows earlier event ${ev.relatedTo}`);
  out.push('');
  for (const s of ev.summary) out.push(wrap(s, width, '    '));
  if (ev.summary.length) out.push('');
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
  out.push('    Sources');
  ev.sources.forEach((s, i) => {
    const copy = s.independent ? '' : ' (copy of another source)';
    out.push(wrap(`${s.outlet} — ${s.title} (${formatTime(s.publishedAt)})${copy}`, width, '         ', `    [${i + 1}] `));
    if (s.url) out.push(`         ${s.url}`);
  });
  return out.join('\n');
}

export function renderBriefingText(b: Briefing, options: TextOptions = {}): string {
  const width = Math.max(60, Math.min(options.width ?? 100, 120));
  const sources = new Set(b.events.flatMap((e) => e.sources.map((s) => s.articleId))).size;
  const head = `briefbot · ${formatTime(b.generatedAt)} · ${b.events.length} event${b.events.length === 1 ? '' : 's'} from ${sources} source${sources === 1 ? '' : 's'}`;
  const out = [head, '='.repeat(Math.min(width, head.length)), ''];
  if (b.events.length === 0) out.push('No new events.', '');
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
