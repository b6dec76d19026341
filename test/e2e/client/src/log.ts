import { performance } from 'node:perf_hooks';

/** Seconds since the process started, for log prefixes. */
export function since(): string {
  return (performance.now() / 1000).toFixed(3);
}

export function log(message: string): void {
  process.stdout.write(`[+${since()}s] ${message}\n`);
}

/** Runs fn, logging its start and how long it took. */
export async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  log(`${name} ...`);
  const t = performance.now();
  const value = await fn();
  log(`${name}: done in ${((performance.now() - t) / 1000).toFixed(3)}s`);
  return value;
}
