import { Writable } from 'node:stream';
import type * as k8s from '@kubernetes/client-node';
import { Cluster, DEFAULT_NAMESPACE, ExecResult } from './cluster';

/**
 * The cluster of the current kubeconfig context (KUBECONFIG or ~/.kube/config), through the
 * Kubernetes client library for Node, as kubectl would reach it.
 */
export class KubernetesCluster implements Cluster {
  /** Connects with the kubeconfig's current context, or `context` when given. */
  public static fromKubeconfig(context?: string): KubernetesCluster {
    // Loaded here, not at the top: commands that need no cluster (diagram) do not pay for it.
    const client = require('@kubernetes/client-node') as typeof k8s;
    const config = new client.KubeConfig();
    config.loadFromDefault();
    if (context !== undefined) {
      config.setCurrentContext(context);
    }
    if (!config.getCurrentCluster()) {
      throw new Error('no Kubernetes cluster in the kubeconfig: set KUBECONFIG, or pick a context with --context.');
    }
    return new KubernetesCluster(client, config);
  }

  public readonly defaultNamespace: string;
  private readonly core: k8s.CoreV1Api;
  private readonly batch: k8s.BatchV1Api;

  private constructor(private readonly client: typeof k8s, private readonly config: k8s.KubeConfig) {
    this.core = config.makeApiClient(client.CoreV1Api);
    this.batch = config.makeApiClient(client.BatchV1Api);
    this.defaultNamespace = config.getContextObject(config.getCurrentContext())?.namespace ?? DEFAULT_NAMESPACE;
  }

  public async listJobs(namespace: string): Promise<k8s.V1Job[]> {
    return (await this.batch.listNamespacedJob({ namespace })).items;
  }

  public async listPods(namespace: string, labelSelector?: string): Promise<k8s.V1Pod[]> {
    return (await this.core.listNamespacedPod({ namespace, labelSelector })).items;
  }

  public async readConfigMap(namespace: string, name: string): Promise<k8s.V1ConfigMap | undefined> {
    return this.absentAsUndefined(() => this.core.readNamespacedConfigMap({ namespace, name }));
  }

  public async readSecret(namespace: string, name: string): Promise<k8s.V1Secret | undefined> {
    return this.absentAsUndefined(() => this.core.readNamespacedSecret({ namespace, name }));
  }

  public async podLog(namespace: string, pod: string, container: string, tailLines: number): Promise<string> {
    try {
      return await this.core.readNamespacedPodLog({ namespace, name: pod, container, tailLines });
    } catch (error) {
      // A container that has not started has no log yet: the caller reports its state instead.
      if (statusOf(error) === 400 || statusOf(error) === 404) {
        return '';
      }
      throw error;
    }
  }

  public exec(namespace: string, pod: string, container: string, command: string[]): Promise<ExecResult> {
    const exec = new this.client.Exec(this.config);
    let stdout = '';
    let stderr = '';
    const sink = (append: (text: string) => void) => new Writable({ write(chunk, _encoding, done) { append(String(chunk)); done(); } });
    return new Promise((resolve, reject) => {
      exec.exec(namespace, pod, container, command, sink((text) => { stdout += text; }), sink((text) => { stderr += text; }), null, false, (status) => {
        const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
        resolve({ stdout, stderr, exitCode: status.status === 'Success' ? 0 : Number(cause?.message ?? 1) });
      }).catch(reject);
    });
  }

  private async absentAsUndefined<T>(read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      if (statusOf(error) === 404) {
        return undefined;
      }
      throw error;
    }
  }
}

/** The HTTP status of an API error of the client library, if it is one. */
function statusOf(error: unknown): number | undefined {
  return (error as { code?: number }).code;
}
