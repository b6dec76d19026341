import { Cluster } from './cluster';
import { explainJob, JobState, networkJobs } from './jobs';

/** Where the wait stands after each look at the cluster. */
export interface WaitProgress {
  readonly complete: number;
  readonly total: number;
  readonly running: string[];
  readonly elapsedSeconds: number;
}

/** Shows the wait to a person or a log: a progress bar on a terminal, plain lines otherwise. */
export interface ProgressDisplay {
  update(progress: WaitProgress): void;
  stop(): void;
}

export interface WaitOptions {
  readonly namespace: string;
  readonly timeoutSeconds: number;
  readonly display: ProgressDisplay;
  /** Between two looks at the cluster: one list of Jobs a second is light for the API server. @default 1000 */
  readonly intervalMs?: number;
  /** The clock, in milliseconds (tests pass their own). @default Date.now */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The outcome of a wait: every Job complete, or why not. */
export interface WaitResult {
  readonly ok: boolean;
  readonly jobs: JobState[];
  readonly elapsedSeconds: number;
  /** Why the wait failed: the failed or stuck Jobs and what their pods say. */
  readonly explanation: string[];
}

/**
 * Waits until every Job of the network in `options.namespace` has completed. Fails at once when a
 * Job has failed (a Job fails only on a refusal no retry can fix, or when it ran out of retries),
 * and at the timeout when Jobs are still running; either way it says why, from the pods.
 */
export async function waitForJobs(cluster: Cluster, options: WaitOptions): Promise<WaitResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const start = now();
  const elapsed = () => Math.round((now() - start) / 1000);
  try {
    for (;;) {
      const jobs = await networkJobs(cluster, options.namespace);
      const complete = jobs.filter((job) => job.phase === 'complete').length;
      const running = jobs.filter((job) => job.phase === 'running').map((job) => job.name);
      options.display.update({ complete, total: jobs.length, running, elapsedSeconds: elapsed() });
      const failed = jobs.filter((job) => job.phase === 'failed');
      if (failed.length > 0) {
        return { ok: false, jobs, elapsedSeconds: elapsed(), explanation: await explainAll(cluster, options.namespace, failed.map((job) => job.name), 'failed') };
      }
      if (jobs.length > 0 && complete === jobs.length) {
        return { ok: true, jobs, elapsedSeconds: elapsed(), explanation: [] };
      }
      if (elapsed() >= options.timeoutSeconds) {
        const explanation = jobs.length === 0
          ? [`no Job of Hyperkube in namespace ${options.namespace}: apply the manifests, or name the namespace with -n`]
          : await explainAll(cluster, options.namespace, running, `still running after ${options.timeoutSeconds}s`);
        return { ok: false, jobs, elapsedSeconds: elapsed(), explanation };
      }
      await sleep(options.intervalMs ?? 1000);
    }
  } finally {
    options.display.stop();
  }
}

async function explainAll(cluster: Cluster, namespace: string, jobs: string[], what: string): Promise<string[]> {
  const lines = [`${jobs.length} Job(s) ${what}: ${jobs.join(', ')}`];
  for (const job of jobs) {
    lines.push(...await explainJob(cluster, namespace, job));
  }
  return lines;
}
