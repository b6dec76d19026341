/**
 * The label set every object Hyperkube writes carries, so that `kubectl get -l` and
 * `kubectl apply --prune -l` can select a whole network, one component or one organization.
 */

/** The label keys Hyperkube sets. */
export class LabelKeys {
  /** The network (the FabricChart's `network` name). */
  public static readonly PART_OF = 'app.kubernetes.io/part-of';
  /** What the object is part of inside the network: peer, orderer, chaincode, channel, ... */
  public static readonly COMPONENT = 'app.kubernetes.io/component';
  /** Always `hyperkube`. */
  public static readonly MANAGED_BY = 'app.kubernetes.io/managed-by';
  /** The organization (its DNS-label name), where the object belongs to one. */
  public static readonly ORGANIZATION = 'hyperkube.io/organization';
  /** The chaincode (its Kubernetes name) a chaincode server or Job belongs to. */
  public static readonly CHAINCODE = 'hyperkube.io/chaincode';
  /** The channel (its Kubernetes name) a chaincode server or Job belongs to. */
  public static readonly CHANNEL = 'hyperkube.io/channel';
  /**
   * Set on objects that Hyperkube's Jobs delete once nothing uses them (chaincode servers), so
   * `kubectl apply --prune` must leave them out (README, "Day 2").
   */
  public static readonly RETIRED_BY = 'hyperkube.io/retired-by';
  /** Selector labels of a workload. */
  public static readonly NAME = 'app.kubernetes.io/name';
  public static readonly INSTANCE = 'app.kubernetes.io/instance';

  private constructor() {}
}

/** The value of `hyperkube.io/retired-by` on the objects the chaincode Jobs delete. */
export const RETIRED_BY_CHAINCODE_JOBS = 'chaincode-jobs';

/** The value of `app.kubernetes.io/managed-by` on every object. */
export const MANAGED_BY = 'hyperkube';

/** The components a Hyperkube object can belong to. */
export enum Component {
  NAMESPACE = 'namespace',
  SCRIPTS = 'scripts',
  MSP = 'msp',
  IDENTITY = 'identity',
  PEER = 'peer',
  ORDERER = 'orderer',
  CHANNEL = 'channel',
  CHAINCODE = 'chaincode',
  CONNECTION_PROFILE = 'connection-profile',
  CA = 'ca',
  /** A Fabric Gateway application of an organization (`Application`). */
  APPLICATION = 'application',
  /** The network's model, which the `hyperkube` CLI reads (ConfigMap `hyperkube-model`). */
  MODEL = 'model',
  /** A route from the cluster's ingress to a node, for clients outside the cluster (`Exposure`). */
  EXPOSURE = 'exposure',
  /** Scrape targets, alerts and dashboards of the network (`Monitoring`). */
  MONITORING = 'monitoring',
  /** Backup of the network's ledgers, and its agents (`NetworkBackup`). */
  BACKUP = 'backup',
}

/** Labels naming `component` and, when given, the organization `organization`. */
export function componentLabels(component: Component, organization?: string): Record<string, string> {
  return {
    [LabelKeys.COMPONENT]: component,
    ...(organization ? { [LabelKeys.ORGANIZATION]: organization } : {}),
  };
}

/** The selector labels of one workload: stable for its lifetime, so they never name anything that may change. */
export function selectorLabels(name: string, instance: string): Record<string, string> {
  return { [LabelKeys.NAME]: name, [LabelKeys.INSTANCE]: instance };
}
