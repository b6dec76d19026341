import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { FabricChart } from './fabric-chart';
import { optionalRecord } from './props';
import { checkQuantity, QuantityKind } from './quantity';

/**
 * CPU and memory of one container, as Kubernetes quantities. Requests are what the scheduler
 * reserves: the defaults are small so that a test network fits a laptop node, and any size is
 * accepted. A request may not be above its limit (given or default).
 */
export interface ResourceSettings {
  /** @default depends on the component, at most '100m' */
  readonly cpuRequest?: string;
  /** @default depends on the component */
  readonly cpuLimit?: string;
  /** @default depends on the component */
  readonly memoryRequest?: string;
  /** @default depends on the component */
  readonly memoryLimit?: string;
}

/** Defaults sized for a laptop cluster: a whole test network schedules on one small node. */
export const DefaultResources = {
  PEER: { cpuRequest: '100m', cpuLimit: '1', memoryRequest: '192Mi', memoryLimit: '1Gi' },
  ORDERER: { cpuRequest: '100m', cpuLimit: '1', memoryRequest: '128Mi', memoryLimit: '512Mi' },
  COUCHDB: { cpuRequest: '100m', cpuLimit: '1', memoryRequest: '192Mi', memoryLimit: '1Gi' },
  CHAINCODE: { cpuRequest: '50m', cpuLimit: '500m', memoryRequest: '64Mi', memoryLimit: '256Mi' },
  JOB: { cpuRequest: '50m', cpuLimit: '500m', memoryRequest: '64Mi', memoryLimit: '256Mi' },
  CA: { cpuRequest: '50m', cpuLimit: '500m', memoryRequest: '64Mi', memoryLimit: '256Mi' },
  APPLICATION: { cpuRequest: '50m', cpuLimit: '500m', memoryRequest: '64Mi', memoryLimit: '256Mi' },
  INIT: { cpuRequest: '10m', cpuLimit: '100m', memoryRequest: '16Mi', memoryLimit: '64Mi' },
} as const;

const RESOURCE_KEYS = ['cpuRequest', 'cpuLimit', 'memoryRequest', 'memoryLimit'] as const;

/**
 * The requests and limits of a container: `settings` over `defaults`. Throws, naming `owner`, the
 * prop and the fix, on a figure that is not a quantity and on a request above its limit.
 */
export function resourceRequirements(owner: string, settings: ResourceSettings | undefined, defaults: Required<ResourceSettings>): k8s.ResourceRequirements {
  const given = optionalRecord(owner, 'resources', settings) ?? {};
  const merged: Record<string, string> = { ...defaults };
  for (const key of RESOURCE_KEYS) {
    if (given[key] !== undefined) {
      merged[key] = given[key] as string;
    }
  }
  const amounts = Object.fromEntries(RESOURCE_KEYS.map((key) => [key, checkQuantity(owner, `resources.${key}`, merged[key],
    key.startsWith('cpu') ? QuantityKind.CPU : QuantityKind.BYTES, key.endsWith('Request'))]));
  for (const [request, limit] of [['cpuRequest', 'cpuLimit'], ['memoryRequest', 'memoryLimit']] as const) {
    if (amounts[request] > amounts[limit]) {
      const defaulted = given[limit] === undefined ? ' (the default)' : '';
      throw new Error(`${owner}: resources.${request} "${merged[request]}" is above resources.${limit} "${merged[limit]}"${defaulted}; Kubernetes refuses a request above its limit. Raise ${limit} to at least "${merged[request]}", or lower ${request}.`);
    }
  }
  return {
    requests: { cpu: k8s.Quantity.fromString(merged.cpuRequest), memory: k8s.Quantity.fromString(merged.memoryRequest) },
    limits: { cpu: k8s.Quantity.fromString(merged.cpuLimit), memory: k8s.Quantity.fromString(merged.memoryLimit) },
  };
}

/** One file of a projected volume: `key` of a ConfigMap or Secret, seen at `path`. */
export interface ProjectedFile {
  readonly source: 'configMap' | 'secret';
  readonly name: string;
  readonly key: string;
  readonly path: string;
}

/** A read-only volume assembling files from ConfigMaps and Secrets into one folder. */
export function projectedVolume(name: string, files: ProjectedFile[]): k8s.Volume {
  const groups = new Map<string, ProjectedFile[]>();
  for (const file of files) {
    const group = `${file.source}/${file.name}`;
    groups.set(group, [...(groups.get(group) ?? []), file]);
  }
  const sources: k8s.VolumeProjection[] = [...groups.values()].map((group) => {
    const items = group.map((file) => ({ key: file.key, path: file.path }));
    return group[0].source === 'configMap'
      ? { configMap: { name: group[0].name, items } }
      : { secret: { name: group[0].name, items } };
  });
  return { name, projected: { sources, defaultMode: 0o444 } };
}

/** Pod-level settings every Hyperkube pod shares: no API token, since nothing here calls the API. */
export function podDefaults(): Pick<k8s.PodSpec, 'automountServiceAccountToken' | 'enableServiceLinks'> {
  return { automountServiceAccountToken: false, enableServiceLinks: false };
}

/** What `addSingleContainerDeployment` needs. */
export interface SingleContainerDeploymentProps {
  /** Name of the Deployment. */
  readonly name: string;
  /** Labels of the Deployment and its pods. */
  readonly labels: Record<string, string>;
  /** Labels that select its pods; the pods carry them too. */
  readonly selector: Record<string, string>;
  readonly replicas: number;
  /** The one container; its security settings are added. */
  readonly container: k8s.Container;
  /** Volumes of the pod; leave it out for none, as the API drops an empty list. */
  readonly volumes?: k8s.Volume[];
}

/** A Deployment of pods with one container and the library's pod defaults, carrying the chart's labels. */
export function addSingleContainerDeployment(scope: Construct, props: SingleContainerDeploymentProps): k8s.KubeDeployment {
  const chart = FabricChart.find(scope);
  return new k8s.KubeDeployment(scope, 'deployment', {
    metadata: { name: props.name, labels: props.labels },
    spec: {
      replicas: props.replicas,
      selector: { matchLabels: props.selector },
      template: {
        metadata: { labels: { ...chart.labels, ...props.labels, ...props.selector } },
        spec: {
          ...podDefaults(),
          containers: [{ ...props.container, securityContext: containerSecurity() }],
          volumes: props.volumes,
        },
      },
    },
  });
}

/** Container security settings: Fabric images run as root, so only escalation and extra capabilities go. */
export function containerSecurity(): k8s.SecurityContext {
  return { allowPrivilegeEscalation: false, privileged: false };
}

/**
 * Env entries from a plain record, in a stable order. An empty value is written as a bare name,
 * as the API server stores it, so that a re-apply finds nothing to change.
 */
export function envList(env: Record<string, string>): k8s.EnvVar[] {
  return Object.keys(env).sort().map((name) => (env[name] === '' ? { name } : { name, value: env[name] }));
}

/**
 * An Opaque Secret holding `entries`, base64-encoded in `data` as the API server stores it
 * (`stringData` would make every re-apply report a change).
 */
export function opaqueSecret(scope: Construct, id: string, name: string, entries: Record<string, string>, labels: Record<string, string>): k8s.KubeSecret {
  reserveObjectName(scope, 'Secret', name);
  const data = Object.fromEntries(Object.entries(entries).map(([key, value]) => [key, Buffer.from(value).toString('base64')]));
  // With separateSecrets, the Secret goes to the chart of Secrets, under its own (unique) name.
  const secrets = FabricChart.find(scope).secretsChart;
  return new k8s.KubeSecret(secrets ?? scope, secrets ? name : id, { metadata: { name, labels }, type: 'Opaque', data });
}

/**
 * Reserves Kubernetes object name `name` of `kind` in `scope`'s chart; throws, naming both
 * constructs, if another object of the chart has it.
 */
export function reserveObjectName(scope: Construct, kind: string, name: string): void {
  FabricChart.find(scope)._reserve(`${kind} name`, name, scope, 'Rename one of the organizations, users, channels or chaincodes so that their object names differ.');
}

/** A cdk8s-plus ConfigMap whose name is reserved in the chart. */
export function namedConfigMap(scope: Construct, id: string, props: kplus.ConfigMapProps & { metadata: { name: string } }): kplus.ConfigMap {
  reserveObjectName(scope, 'ConfigMap', props.metadata.name);
  return new kplus.ConfigMap(scope, id, props);
}

/** Named ports of a workload, in order: its Service and its container list the same ones. */
export type NamedPorts = Record<string, number>;

/** What a workload's Service is made of. */
export interface ServiceSpec {
  readonly name: string;
  /** Labels of the Service object itself. */
  readonly labels: Record<string, string>;
  /** Selector labels of the pods it sends to. */
  readonly selector: Record<string, string>;
  readonly ports: NamedPorts;
  /** Whether pods get DNS records before they are ready (Fabric nodes must reach each other to become ready). */
  readonly publishNotReadyAddresses?: boolean;
}

/** A ClusterIP Service in front of a workload. */
export function addService(scope: Construct, id: string, service: ServiceSpec): k8s.KubeService {
  const { name, labels, selector, ports } = service;
  return new k8s.KubeService(scope, id, {
    metadata: { name, labels },
    spec: {
      selector,
      publishNotReadyAddresses: service.publishNotReadyAddresses,
      ports: Object.entries(ports).map(([portName, port]) => ({ name: portName, port, targetPort: k8s.IntOrString.fromNumber(port) })),
    },
  });
}

/** The container side of `ports`. */
export function containerPorts(ports: NamedPorts): k8s.ContainerPort[] {
  return Object.entries(ports).map(([name, containerPort]) => ({ name, containerPort }));
}

/**
 * How often readiness is probed: every second, so that whoever waits on a pod being ready (a
 * rolling restart, `hyperkube wait`, a Job waiting on a chaincode server) learns it within about
 * a second. A probe is one local request, cheap for the node.
 */
export const READINESS_PERIOD_SECONDS = 1;

/** A readiness probe against the operations endpoint's health check. */
export function readinessHealthProbe(port: number): k8s.Probe {
  return { ...healthCheck(port), initialDelaySeconds: 1, periodSeconds: READINESS_PERIOD_SECONDS, failureThreshold: 3 };
}

/** A liveness probe against the operations endpoint's health check: patient, as a restart is costly. */
export function livenessHealthProbe(port: number): k8s.Probe {
  return { ...healthCheck(port), initialDelaySeconds: 30, periodSeconds: 10, failureThreshold: 6 };
}

/** A readiness probe that a TCP connection to `port` passes. */
export function readinessTcpProbe(port: number): k8s.Probe {
  return { tcpSocket: { port: k8s.IntOrString.fromNumber(port) }, periodSeconds: READINESS_PERIOD_SECONDS };
}

function healthCheck(port: number): k8s.Probe {
  return { httpGet: { path: '/healthz', port: k8s.IntOrString.fromNumber(port), scheme: 'HTTPS' }, timeoutSeconds: 5 };
}

/** The ledger volume of a Fabric node. */
export interface LedgerClaim {
  readonly size: string;
  /** '' binds only volumes of no class; undefined leaves the choice to the cluster's default class. */
  readonly storageClassName?: string;
}

/** The ledger volume size `prop` of `owner`, checked: a whole number of bytes, more than zero. */
export function ledgerSize(owner: string, value: unknown): string {
  const size = value ?? '1Gi';
  checkQuantity(owner, 'storage', size, QuantityKind.BYTES);
  return size as string;
}

/** What a one-replica workload with a ledger volume (a peer, a consenter, a CA) is made of. */
export interface SingletonWorkload {
  /** StatefulSet and Service name. */
  readonly name: string;
  /** Labels of the StatefulSet and its pods. */
  readonly labels: Record<string, string>;
  /** Selector labels of its pods. */
  readonly selector: Record<string, string>;
  /** Pod annotations. @default none */
  readonly annotations?: Record<string, string>;
  /** The pod, besides the defaults every Hyperkube pod has. */
  readonly pod: k8s.PodSpec;
}

/** The one-replica StatefulSet of `workload`, with its ledger claim: the default child of a node. */
export function singletonStatefulSet(scope: Construct, workload: SingletonWorkload, claim: LedgerClaim): LedgerStatefulSet {
  const { name, labels, selector, annotations, pod } = workload;
  return new LedgerStatefulSet(scope, 'statefulset', {
    metadata: { name, labels },
    spec: {
      serviceName: name,
      replicas: 1,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: { ...FabricChart.find(scope).labels, ...labels, ...selector }, ...(annotations ? { annotations } : {}) },
        spec: { ...podDefaults(), ...pod },
      },
    },
  }, claim);
}

/**
 * A StatefulSet with one ReadWriteOnce ledger claim template, written the way the API server
 * stores it (kind, volumeMode, empty status). The list has no merge key, so kubectl compares it
 * whole: without the defaults, every re-apply would report the StatefulSet as configured. The
 * generated `toJson` keeps only typed fields, so the template is added after it.
 */
export class LedgerStatefulSet extends k8s.KubeStatefulSet {
  private readonly firstInitContainers: k8s.Container[] = [];
  private readonly addedVolumes: k8s.Volume[] = [];

  public constructor(scope: Construct, id: string, props: k8s.KubeStatefulSetProps, private readonly claim: LedgerClaim) {
    super(scope, id, props);
  }

  /**
   * Runs `container` before every other init container of the pod (a restore must fill the
   * ledger volume before anything reads it), with `volumes` added to the pod.
   * @internal
   */
  public _runFirst(container: k8s.Container, volumes: k8s.Volume[]): void {
    this.firstInitContainers.push(container);
    this.addedVolumes.push(...volumes);
  }

  public toJson(): any {
    const json = super.toJson();
    if (this.firstInitContainers.length > 0) {
      const pod = json.spec.template.spec;
      pod.initContainers = [...this.firstInitContainers.map((container) => k8s.toJson_Container(container)), ...(pod.initContainers ?? [])];
      pod.volumes = [...(pod.volumes ?? []), ...this.addedVolumes.map((volume) => k8s.toJson_Volume(volume))];
    }
    json.spec.volumeClaimTemplates = [{
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { creationTimestamp: null, name: LEDGER_VOLUME },
      spec: {
        accessModes: ['ReadWriteOnce'],
        ...(this.claim.storageClassName !== undefined ? { storageClassName: this.claim.storageClassName } : {}),
        resources: { requests: { storage: this.claim.size } },
        volumeMode: 'Filesystem',
      },
      status: { phase: 'Pending' },
    }];
    return json;
  }
}

/** Name of the ledger volume claim template, mounted by the node containers. */
export const LEDGER_VOLUME = 'ledger';
