import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';

/** CPU and memory of one container. Requests are what the scheduler reserves; keep them small. */
export interface ResourceSettings {
  /** @default depends on the component, at most '500m' */
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
  INIT: { cpuRequest: '10m', cpuLimit: '100m', memoryRequest: '16Mi', memoryLimit: '64Mi' },
} as const;

/** Throws unless the CPU request is explicit and at most half a core. */
export function resourceRequirements(owner: string, settings: ResourceSettings, defaults: Required<ResourceSettings>): k8s.ResourceRequirements {
  const merged = { ...defaults, ...settings };
  if (millicores(merged.cpuRequest) > 500) {
    throw new Error(`${owner}: cpuRequest ${merged.cpuRequest} is above 500m. Hyperkube keeps requests small so a network fits a small node; raise cpuLimit instead.`);
  }
  return {
    requests: { cpu: k8s.Quantity.fromString(merged.cpuRequest), memory: k8s.Quantity.fromString(merged.memoryRequest) },
    limits: { cpu: k8s.Quantity.fromString(merged.cpuLimit), memory: k8s.Quantity.fromString(merged.memoryLimit) },
  };
}

function millicores(cpu: string): number {
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(cpu);
  if (!match) {
    throw new Error(`cpu quantity "${cpu}" is not understood; write it like "250m" or "1".`);
  }
  return match[2] === 'm' ? Number(match[1]) : Number(match[1]) * 1000;
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
  const data = Object.fromEntries(Object.entries(entries).map(([key, value]) => [key, Buffer.from(value).toString('base64')]));
  return new k8s.KubeSecret(scope, id, { metadata: { name, labels }, type: 'Opaque', data });
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

/** An HTTPS probe against the operations endpoint's health check. */
export function healthProbe(port: number, initialDelaySeconds: number): k8s.Probe {
  return {
    httpGet: { path: '/healthz', port: k8s.IntOrString.fromNumber(port), scheme: 'HTTPS' },
    initialDelaySeconds,
    periodSeconds: 10,
    timeoutSeconds: 5,
    failureThreshold: 6,
  };
}

/** The ledger volume of a Fabric node. */
export interface LedgerClaim {
  readonly size: string;
  readonly storageClassName?: string;
}

/**
 * A StatefulSet with one ReadWriteOnce ledger claim template, written the way the API server
 * stores it (kind, volumeMode, empty status). The list has no merge key, so kubectl compares it
 * whole: without the defaults, every re-apply would report the StatefulSet as configured. The
 * generated `toJson` keeps only typed fields, so the template is added after it.
 */
export class LedgerStatefulSet extends k8s.KubeStatefulSet {
  public constructor(scope: Construct, id: string, props: k8s.KubeStatefulSetProps, private readonly claim: LedgerClaim) {
    super(scope, id, props);
  }

  public toJson(): any {
    const json = super.toJson();
    json.spec.volumeClaimTemplates = [{
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { creationTimestamp: null, name: LEDGER_VOLUME },
      spec: {
        accessModes: ['ReadWriteOnce'],
        ...(this.claim.storageClassName ? { storageClassName: this.claim.storageClassName } : {}),
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
