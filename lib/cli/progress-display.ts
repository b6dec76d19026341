import { SingleBar } from 'cli-progress';
import { ProgressDisplay, WaitProgress } from './wait';

/** A progress bar, for a person at a terminal. */
export class BarDisplay implements ProgressDisplay {
  private readonly bar: SingleBar;
  private started = false;

  public constructor(stream: NodeJS.WriteStream) {
    this.bar = new SingleBar({ format: 'Jobs {bar} {value}/{total} complete | {elapsed}s | {running}', hideCursor: true, stream });
  }

  public update(progress: WaitProgress): void {
    const payload = { elapsed: progress.elapsedSeconds, running: summary(progress.running) };
    if (!this.started) {
      this.bar.start(Math.max(progress.total, 1), progress.complete, payload);
      this.started = true;
    }
    this.bar.setTotal(Math.max(progress.total, 1));
    this.bar.update(progress.complete, payload);
  }

  public stop(): void {
    if (this.started) {
      this.bar.stop();
    }
  }
}

/** One line per change, for logs and CI, where a bar would be noise. */
export class LineDisplay implements ProgressDisplay {
  private last = '';

  public constructor(private readonly write: (line: string) => void) {}

  public update(progress: WaitProgress): void {
    const state = `${progress.complete}/${progress.total}`;
    if (state !== this.last) {
      this.last = state;
      const running = progress.running.length > 0 ? `; running: ${summary(progress.running)}` : '';
      this.write(`${state} Jobs complete (${progress.elapsedSeconds}s)${running}`);
    }
  }

  public stop(): void {}
}

/** The running Jobs' names, shortened past three. */
function summary(names: string[]): string {
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}
