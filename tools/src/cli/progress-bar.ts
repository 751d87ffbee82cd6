import cliProgress from 'cli-progress';
import type { CliOutput } from './cli-context.js';

export interface Progress {
  /** `value` and `total` in the run's unit (positions, streams); `perSecond` as measured by the caller. */
  update(value: number, total: number, perSecond: number): void;
  /** The requested range is done: the bar ends at 100% at `value`, wherever the estimated total was. */
  finish(value: number, perSecond: number): void;
  stop(): void;
}

export interface ProgressOptions {
  label: string;
  /** What `value` counts, for the text: "events", "streams". */
  unit: string;
  /** Without a terminal: one plain line at most this often (CI logs), 0 for none. Default 10 s. */
  plainEveryMs?: number;
}

/**
 * A bar with rate and ETA on a terminal (cli-progress); elsewhere an occasional plain line, so that
 * a redirected stderr gets a readable log instead of control characters.
 */
export function startProgress(stream: CliOutput, options: ProgressOptions): Progress {
  return stream.isTTY ? terminalBar(stream, options) : plainLines(stream, options);
}

function terminalBar(stream: CliOutput, { label, unit }: ProgressOptions): Progress {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate}/s | ETA {eta_formatted}`,
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(value, total, perSecond) {
      const shownTotal = Math.max(total, value, 1);
      if (!started) {
        bar.start(shownTotal, value, { rate: perSecond });
        started = true;
        return;
      }
      bar.setTotal(shownTotal);
      bar.update(value, { rate: perSecond });
    },
    finish(value, perSecond) {
      this.update(value, value, perSecond);
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

function plainLines(stream: CliOutput, { label, unit, plainEveryMs = 10_000 }: ProgressOptions): Progress {
  let lastAt = Date.now();
  return {
    update(value, total, perSecond) {
      if (plainEveryMs === 0 || Date.now() - lastAt < plainEveryMs) return;
      lastAt = Date.now();
      const eta = perSecond > 0 && total > value ? `, ETA ${formatDuration(((total - value) / perSecond) * 1000)}` : '';
      stream.write(`${label}: ${value}/${total} ${unit}, ${perSecond}/s${eta}\n`);
    },
    finish() {},
    stop() {},
  };
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
