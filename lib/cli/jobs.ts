import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { Cluster } from './cluster';

/** Where one of the network's Jobs stands. */
export type JobPhase = 'complete' | 'failed' | 'running';

/** A Job of the network, as `wait` and `status` report it. */
export interface JobState {
  readonly name: string;
  /** What it does: the script it runs (`reconcile-channel`, `approve-chaincode`, ...). */
  readonly step: string;
  readonly phase: JobPhase;
}

const MANAGED_BY = 'app.kubernetes.io/managed-by';

/**
 * The Jobs Hyperkube's manifests made in `namespace`. The runs of CronJobs (Fabric CA mode's
 * renewals) are left out: they come and go on a schedule and say nothing about the bring-up.
 */
export async function networkJobs(cluster: Cluster, namespace: string): Promise<JobState[]> {
  return (await cluster.listJobs(namespace))
    .filter((job) => job.metadata?.labels?.[MANAGED_BY] === 'hyperkube')
    .filter((job) => !(job.metadata?.ownerReferences ?? []).some((owner) => owner.kind === 'CronJob'))
    .map(jobState)
    .sort((a, b) => a.name.localeCompare(b.name));
}

function jobState(job: V1Job): JobState {
  const condition = (type: string) => (job.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
  return {
    name: job.metadata?.name ?? '',
    step: job.metadata?.labels?.['hyperkube.io/step'] ?? '',
    phase: condition('Complete') ? 'complete' : condition('Failed') ? 'failed' : 'running',
  };
}

/**
 * Why a Job is failed or stuck, in the words of its last pod: a container waiting for something
 * (an image, a volume), and the lines of its log that say what went wrong.
 */
export async function explainJob(cluster: Cluster, namespace: string, job: string): Promise<string[]> {
  const pods = (await cluster.listPods(namespace, `batch.kubernetes.io/job-name=${job}`))
    .sort((a, b) => String(a.metadata?.creationTimestamp ?? '').localeCompare(String(b.metadata?.creationTimestamp ?? '')));
  const pod = pods[pods.length - 1];
  if (!pod) {
    return [`${job}: no pod yet`];
  }
  const failedBefore = pods.slice(0, -1).filter((earlier) => earlier.status?.phase === 'Failed').length;
  const retries = failedBefore > 0 ? ` (after ${failedBefore} failed pod${failedBefore > 1 ? 's' : ''})` : '';
  const lines = [`${job}: pod ${pod.metadata?.name} is ${pod.status?.phase ?? 'unknown'}${retries}${waitingReasons(pod)}`];
  for (const container of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    const log = await cluster.podLog(namespace, pod.metadata?.name ?? '', container.name, 200);
    lines.push(...telling(log).map((line) => `  ${container.name}: ${line}`));
  }
  return lines;
}

/** ", waiting: run ContainerCreating (...)" for each container that waits, else ''. */
function waitingReasons(pod: V1Pod): string {
  const waiting = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]
    .filter((status) => status.state?.waiting)
    .map((status) => `${status.name} ${status.state?.waiting?.reason ?? ''}${status.state?.waiting?.message ? ` (${status.state.waiting.message})` : ''}`);
  return waiting.length > 0 ? `, waiting: ${waiting.join('; ')}` : '';
}

/**
 * The lines of a Job's log that explain it: Hyperkube's ERROR and REFUSED lines (the last five),
 * else its last line, which for a Job that waits says what it waits for.
 */
export function telling(log: string): string[] {
  const lines = log.split('\n').filter((line) => line.trim() !== '');
  const errors = lines.filter((line) => /\b(ERROR|REFUSED|FATAL|panic)\b/.test(line));
  return errors.length > 0 ? errors.slice(-5) : lines.slice(-1);
}
