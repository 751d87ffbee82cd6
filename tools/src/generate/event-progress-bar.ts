import cliProgress from 'cli-progress';

export interface EventProgressBar {
  update(value: number): void;
  stop(): void;
}

/**
 * A progress bar with events/s and ETA on stderr (DESIGN §5: every long run shows one). On a
 * non-terminal (CI logs, a test's child process) cli-progress draws nothing, so callers print a
 * summary line when they finish.
 */
export function eventProgressBar(label: string, total: number): EventProgressBar {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label.padEnd(22)} |{bar}| {percentage}% | {value}/{total} events | {rate} events/s | ETA {eta_formatted}`,
      barsize: 30,
      hideCursor: true,
      etaBuffer: 50,
      formatValue: (value, _options, type) => (type === 'value' || type === 'total' ? value.toLocaleString('en-US') : String(value)),
    },
    cliProgress.Presets.shades_classic,
  );
  const started = process.hrtime.bigint();
  bar.start(total, 0, { rate: '0' });
  return {
    update(value) {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      bar.update(value, { rate: seconds > 0 ? Math.round(value / seconds).toLocaleString('en-US') : '0' });
    },
    stop: () => bar.stop(),
  };
}
