import type { V1ConfigMap, V1Job, V1Pod, V1Secret } from '@kubernetes/client-node';

/** The result of a command run in a container. */
export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/**
 * What the CLI reads from the cluster, and nothing more: commands take this view, so that tests
 * can hand them a fake one, and only `KubernetesCluster` talks to the API server.
 */
export interface Cluster {
  /** The namespace commands use unless `-n` says otherwise. */
  readonly defaultNamespace: string;
  listJobs(namespace: string): Promise<V1Job[]>;
  listPods(namespace: string, labelSelector?: string): Promise<V1Pod[]>;
  readConfigMap(namespace: string, name: string): Promise<V1ConfigMap | undefined>;
  readSecret(namespace: string, name: string): Promise<V1Secret | undefined>;
  /** The last `tailLines` lines of a container's log ('' when there is none yet). */
  podLog(namespace: string, pod: string, container: string, tailLines: number): Promise<string>;
  exec(namespace: string, pod: string, container: string, command: string[]): Promise<ExecResult>;
}

/** The namespace of Hyperkube's default chart, used when the kubeconfig context names none. */
export const DEFAULT_NAMESPACE = 'fabric';
