import type { V1ConfigMap, V1Job, V1Pod, V1Secret } from '@kubernetes/client-node';
import { Cluster, ExecResult } from '../../lib/cli/cluster';

/**
 * A cluster in memory, for the CLI's tests: the objects a test puts in, logs by pod and container,
 * and a function that answers `exec`. Records every exec so tests can check what was run where.
 */
export class FakeCluster implements Cluster {
  public readonly defaultNamespace = 'fabric';
  public jobs: V1Job[] = [];
  public pods: V1Pod[] = [];
  public configMaps: V1ConfigMap[] = [];
  public secrets: V1Secret[] = [];
  public logs: Record<string, string> = {};
  public readonly execs: { pod: string; container: string; command: string[] }[] = [];
  public answer: (pod: string, command: string[]) => ExecResult = () => ({ stdout: '', stderr: 'no answer', exitCode: 1 });

  public async listJobs(): Promise<V1Job[]> {
    return this.jobs;
  }

  public async listPods(_namespace: string, labelSelector?: string): Promise<V1Pod[]> {
    const [key, value] = (labelSelector ?? '').split('=');
    return this.pods.filter((pod) => !labelSelector || pod.metadata?.labels?.[key] === value);
  }

  public async readConfigMap(_namespace: string, name: string): Promise<V1ConfigMap | undefined> {
    return this.configMaps.find((c) => c.metadata?.name === name);
  }

  public async readSecret(_namespace: string, name: string): Promise<V1Secret | undefined> {
    return this.secrets.find((s) => s.metadata?.name === name);
  }

  public async podLog(_namespace: string, pod: string, container: string): Promise<string> {
    return this.logs[`${pod}/${container}`] ?? '';
  }

  public async exec(_namespace: string, pod: string, container: string, command: string[]): Promise<ExecResult> {
    this.execs.push({ pod, container, command });
    return this.answer(pod, command);
  }
}

const HYPERKUBE = { 'app.kubernetes.io/managed-by': 'hyperkube' };

/** A Job of the network in `phase`, running script `step`. */
export function job(name: string, phase: 'complete' | 'failed' | 'running', step = 'join-channel', owner?: string): V1Job {
  const conditions = phase === 'running' ? [] : [{ type: phase === 'complete' ? 'Complete' : 'Failed', status: 'True' }];
  return {
    metadata: { name, labels: { ...HYPERKUBE, 'hyperkube.io/step': step }, ...(owner ? { ownerReferences: [{ kind: 'CronJob', name: owner, apiVersion: 'batch/v1', uid: '1' }] } : {}) },
    status: { conditions },
  };
}

/** A pod of Job `jobName`, with containers `containers` and an optional waiting reason. */
export function jobPod(jobName: string, containers: string[], waiting?: { reason: string; message?: string }): V1Pod {
  return {
    metadata: { name: `${jobName}-x1`, labels: { 'batch.kubernetes.io/job-name': jobName }, creationTimestamp: new Date('2026-01-01T00:00:00Z') },
    spec: { containers: containers.map((name) => ({ name })) },
    status: { phase: 'Pending', containerStatuses: waiting ? [{ name: containers[0], ready: false, restartCount: 0, image: 'x', imageID: '', state: { waiting } }] : [] },
  };
}

/** A ready (or not) pod of StatefulSet `workload`, component `component`, org `org`. */
export function nodePod(workload: string, component: string, org: string, ready = true, restarts = 0): V1Pod {
  return {
    metadata: { name: `${workload}-0`, labels: { ...HYPERKUBE, 'app.kubernetes.io/component': component, 'hyperkube.io/organization': org },
      ownerReferences: [{ kind: 'StatefulSet', name: workload, apiVersion: 'apps/v1', uid: '1' }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [{ name: component, ready, restartCount: restarts, image: 'x', imageID: '' }] },
  };
}
