import { Chart, ChartProps, JsonPatch, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { KubeNamespace } from '../../imports/k8s';
import { Exposure } from '../exposure/exposure';
import { GeneratedIdentities } from '../identity/generated/generated-identities';
import { IIdentityProvider } from '../identity/identity-provider';
import { NETWORK_MODEL_CONFIGMAP, NETWORK_MODEL_KEY } from '../model/network-model';
import { validateFabricVersion } from './fabric-values';
import { Component, componentLabels, LabelKeys, MANAGED_BY } from './labels';
import { pinnedImage, serviceFqdn, serviceHosts, validateDnsLabel, validateStorageClassName } from './naming';
import { checkProps, describeValue, optionalBoolean, optionalRecord, optionalString } from './props';
import { namedConfigMap } from './workload';

const FABRIC_CHART = Symbol.for('hyperkube.FabricChart');
/** On an app's root: the FabricChart of each namespace, so that two never share one. */
const NAMESPACES = Symbol.for('hyperkube.FabricChart.namespaces');
/** On `process`: set once the development-seed warning has been written. */
const DEVELOPMENT_SEED_WARNED = Symbol.for('hyperkube.developmentSeedWarned');

/** A Kubernetes label value: at most 63 letters, digits, '-', '_' and '.', alphanumeric at both ends. */
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The Fabric release whose images the constructs use unless told otherwise. */
const DEFAULT_FABRIC_VERSION = '2.5.9';
/** The CouchDB release used for peers that ask for CouchDB. */
const DEFAULT_COUCHDB_VERSION = '3.3.3';
/** The Fabric CA release of `FabricCa`. */
const DEFAULT_FABRIC_CA_VERSION = '1.5.15';

/** Container images of the Fabric components. Pin them: a tag like `latest` is refused. */
export interface FabricImages {
  /** @default `hyperledger/fabric-peer:<fabricVersion>` */
  readonly peer?: string;
  /** @default `hyperledger/fabric-orderer:<fabricVersion>` */
  readonly orderer?: string;
  /** Runs every Job: needs peer, osnadmin, configtxgen, bash and jq. @default `hyperledger/fabric-tools:<fabricVersion>` */
  readonly tools?: string;
  /** @default `couchdb:3.3.3` */
  readonly couchdb?: string;
  /** Runs each `FabricCa`. @default `hyperledger/fabric-ca:1.5.15` */
  readonly ca?: string;
}

/** Props for `FabricChart`. */
export interface FabricChartProps extends ChartProps {
  /**
   * Name of the network, the value of the `app.kubernetes.io/part-of` label on every object.
   * @default the construct id
   */
  readonly network?: string;
  /**
   * Whether the chart also creates its Namespace object.
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Fabric version of the default images.
   * @default DEFAULT_FABRIC_VERSION
   */
  readonly fabricVersion?: string;
  /**
   * Image overrides.
   * @default the official Hyperledger images of `fabricVersion`
   */
  readonly images?: FabricImages;
  /**
   * Where keys, certificates and other secrets (CouchDB passwords) come from: one secret seed for
   * the whole chart. Synth warns on stderr when it is the public development seed.
   * @default new GeneratedIdentities() (development seed)
   */
  readonly identities?: IIdentityProvider;
  /**
   * DNS domain of the cluster, part of every address and TLS certificate.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
  /**
   * StorageClass of the ledger volumes; '' binds only volumes of no class (pre-provisioned ones).
   * @default the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * Writes every Secret of the network into a chart of its own, `<id>-secrets` (so
   * `dist/<id>-secrets.k8s.yaml` next to `dist/<id>.k8s.yaml`), and none into the network's chart:
   * the network's manifests then hold no private key and can be committed, while the Secrets'
   * file is sealed or kept in a secret store. Apply both; a pod whose Secret is not there yet waits
   * for it.
   * @default false
   */
  readonly separateSecrets?: boolean;
  /**
   * Makes peers, orderers and Fabric CAs reachable from outside the cluster through its ingress
   * (TLS passthrough, routed by SNI), under host names of a domain you own:
   * `Exposure.gatewayApi({ domain, gateway })` or `Exposure.ingressNginx({ domain })`.
   * In-cluster clients, gossip and channel configs keep the in-cluster names.
   * @default no exposure: nodes are reachable only inside the cluster
   */
  readonly exposure?: Exposure;
}

/**
 * A cdk8s Chart that holds one Fabric network, in the namespace `props.namespace` (default
 * `fabric`): what every construct of the network needs once
 * (namespace, images, identity provider, cluster domain). `Orderer`, `PeerOrg`, `Channel` and
 * `ExternalChaincode` find it with `FabricChart.find(this)`.
 */
export class FabricChart extends Chart {
  /** The Fabric release whose images the constructs use unless told otherwise. */
  public static readonly DEFAULT_FABRIC_VERSION = DEFAULT_FABRIC_VERSION;
  /** The CouchDB release used for peers that ask for CouchDB. */
  public static readonly DEFAULT_COUCHDB_VERSION = DEFAULT_COUCHDB_VERSION;

  /** The FabricChart that `construct` belongs to; throws if it is not inside one. */
  public static find(construct: IConstruct): FabricChart {
    const chart = construct.node.scopes.slice().reverse().find(FabricChart.isFabricChart);
    if (!chart) {
      throw new Error(`${construct.node.path}: Hyperkube constructs must be created inside a FabricChart (new FabricChart(app, 'network')), which carries the namespace, images and identities they share.`);
    }
    return chart;
  }

  /**
   * Whether `x` is a FabricChart. (`instanceof` cannot tell: cdk8s makes it true for any Chart.)
   */
  public static isFabricChart(this: void, x: unknown): x is FabricChart {
    return typeof x === 'object' && x !== null && FABRIC_CHART in x;
  }

  /** Name of the network: every object carries it in `app.kubernetes.io/part-of`. */
  public readonly network: string;
  public readonly clusterDomain: string;
  public readonly fabricVersion: string;
  public readonly identities: IIdentityProvider;
  public readonly storageClassName?: string;
  public readonly peerImage: string;
  public readonly ordererImage: string;
  public readonly toolsImage: string;
  public readonly couchdbImage: string;
  public readonly caImage: string;
  /** The chart that holds the network's Secrets when `separateSecrets` is set. */
  public readonly secretsChart?: Chart;
  /** How nodes are reached from outside the cluster, if they are. */
  public readonly exposure?: Exposure;

  public constructor(scope: Construct, id: string, props: FabricChartProps = {}) {
    const owner = `FabricChart ${id}`;
    checkProps(owner, props);
    const namespace = props.namespace ?? 'fabric';
    const network = props.network ?? id;
    validateDnsLabel(owner, 'namespace', namespace);
    validateLabelValue(owner, network);
    super(scope, id, { ...props, namespace, labels: { ...props.labels, [LabelKeys.PART_OF]: network, [LabelKeys.MANAGED_BY]: MANAGED_BY } });
    Object.defineProperty(this, FABRIC_CHART, { value: true });
    if ((props as { secretSeed?: unknown }).secretSeed !== undefined) {
      throw new Error(`${owner}: secretSeed is no longer a prop: one seed now derives every key and password of the chart. Pass it to the identities instead: identities: new GeneratedIdentities({ seed }).`);
    }
    this.reserveNamespace(owner, namespace);
    this.network = network;
    this.clusterDomain = optionalString(owner, 'clusterDomain', props.clusterDomain, 'cluster.local') ?? 'cluster.local';
    if (this.clusterDomain.length > 253 || !DNS_SUBDOMAIN.test(this.clusterDomain)) {
      throw new Error(`${owner}: clusterDomain "${this.clusterDomain}" is not a DNS domain. Use lowercase letters, digits, '-' and '.', as the cluster's DNS is configured (for example "cluster.local").`);
    }
    this.fabricVersion = validateFabricVersion(owner, props.fabricVersion ?? DEFAULT_FABRIC_VERSION);
    this.identities = checkIdentityProvider(owner, props.identities ?? new GeneratedIdentities());
    this.storageClassName = validateStorageClassName(owner, props.storageClassName);
    this.exposure = checkExposure(owner, props.exposure, this.clusterDomain);
    const images = (optionalRecord(owner, 'images', props.images) ?? {}) as FabricImages;
    this.peerImage = pinnedImage(owner, 'images.peer', images.peer ?? `hyperledger/fabric-peer:${this.fabricVersion}`);
    this.ordererImage = pinnedImage(owner, 'images.orderer', images.orderer ?? `hyperledger/fabric-orderer:${this.fabricVersion}`);
    this.toolsImage = pinnedImage(owner, 'images.tools', images.tools ?? `hyperledger/fabric-tools:${this.fabricVersion}`);
    this.couchdbImage = pinnedImage(owner, 'images.couchdb', images.couchdb ?? `couchdb:${DEFAULT_COUCHDB_VERSION}`);
    this.caImage = pinnedImage(owner, 'images.ca', images.ca ?? `hyperledger/fabric-ca:${DEFAULT_FABRIC_CA_VERSION}`);
    if (optionalBoolean(owner, 'separateSecrets', props.separateSecrets) ?? false) {
      this.secretsChart = new Chart(scope, `${id}-secrets`, { namespace, labels: this.labels });
    }
    if (optionalBoolean(owner, 'createNamespace', props.createNamespace) ?? true) {
      // A Namespace is cluster-scoped: drop the namespace the Chart stamps on every object.
      new KubeNamespace(this, 'namespace', { metadata: { name: namespace, labels: componentLabels(Component.NAMESPACE) } }).addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }
    // Organizations, channels and chaincodes come after the chart: the model is read when it is written.
    namedConfigMap(this, NETWORK_MODEL_CONFIGMAP, {
      metadata: { name: NETWORK_MODEL_CONFIGMAP, labels: componentLabels(Component.MODEL) },
      data: { [NETWORK_MODEL_KEY]: Lazy.any({ produce: () => networkModelJson(this) }) },
    });
    if (this.identities.usesDefaultDevelopmentSeed) {
      this.node.addValidation({ validate: () => { warnDevelopmentSeed(this); return []; } });
    }
  }

  private readonly reservations = new Map<string, IConstruct>();

  /** The fully qualified in-cluster DNS name of Service `service`. */
  public fqdn(service: string): string {
    return serviceFqdn(service, this.namespace as string, this.clusterDomain);
  }

  /** Every name a client may use for Service `service`; TLS certificates carry them all. */
  public hosts(service: string): string[] {
    return serviceHosts(service, this.namespace as string, this.clusterDomain);
  }

  /**
   * Throws unless `construct`, given as `prop` of `owner`, belongs to this chart: a network's
   * Jobs, volumes and addresses all live in its own namespace.
   * @internal
   */
  public _requireSameChart(owner: string, prop: string, construct: IConstruct): void {
    const chart = construct.node.scopes.slice().reverse().find(FabricChart.isFabricChart);
    if (chart === this) {
      return;
    }
    const where = chart ? `FabricChart ${chart.node.id} (namespace ${chart.namespace})` : 'no FabricChart';
    throw new Error(`${owner}: ${prop} ${describeValue(construct)} belongs to ${where}, not to FabricChart ${this.node.id} (namespace ${this.namespace}) of this construct. Create it in the same FabricChart; a network's objects all live in one namespace.`);
  }

  /** Registers this chart's namespace on the app; throws if another FabricChart of the app has it. */
  private reserveNamespace(owner: string, namespace: string): void {
    const root = this.node.root as unknown as { [NAMESPACES]?: Map<string, string> };
    const taken = root[NAMESPACES] ?? new Map<string, string>();
    Object.defineProperty(root, NAMESPACES, { value: taken, configurable: true });
    const other = taken.get(namespace);
    if (other !== undefined) {
      throw new Error(`${owner}: namespace "${namespace}" is already used by FabricChart ${other} of this app. Two networks in one namespace would overwrite each other's objects (hyperkube-scripts, Secrets, Jobs); give each FabricChart its own namespace.`);
    }
    taken.set(namespace, this.node.id);
  }

  /**
   * Reserves `value` of kind `what` for `owner`; throws, naming both owners and `fix`, if it is taken.
   * @internal
   */
  public _reserve(what: string, value: string, owner: IConstruct, fix: string): void {
    const key = `${what}\u0000${value}`;
    const holder = this.reservations.get(key);
    if (holder) {
      throw new Error(`${owner.node.path}: ${what} "${value}" is already used by ${holder.node.path}. ${fix}`);
    }
    this.reservations.set(key, owner);
  }
}

/**
 * The chart's `NetworkModel` as the ConfigMap carries it (pretty JSON). The builder is loaded at
 * synth rather than imported: it reads every construct class, and each of them imports this file.
 */
function networkModelJson(chart: FabricChart): string {
  const { buildNetworkModel } = require('../model/model-builder') as typeof import('../model/model-builder');
  return JSON.stringify(buildNetworkModel(chart), undefined, 2) + '\n';
}

function validateLabelValue(owner: string, network: string): void {
  if (typeof network !== 'string' || network.length > 63 || !LABEL_VALUE.test(network)) {
    throw new Error(`${owner}: network ${describeValue(network)} (the construct id unless given) is not a Kubernetes label value, which every object carries in ${LabelKeys.PART_OF}. Use at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit (for example "test-network").`);
  }
}

function checkIdentityProvider(owner: string, identities: unknown): IIdentityProvider {
  const methods = ['organization', 'identity', 'password'];
  if (typeof identities !== 'object' || identities === null || !methods.every((method) => typeof (identities as Record<string, unknown>)[method] === 'function')) {
    throw new Error(`${owner}: identities must be an identity provider (IIdentityProvider, with ${methods.join(', ')}), got ${describeValue(identities)}. Pass new GeneratedIdentities({ seed }) or new FabricCaIdentities().`);
  }
  return identities as IIdentityProvider;
}

/** `exposure` as given, refusing anything but an Exposure and a domain inside the cluster's own. */
function checkExposure(owner: string, exposure: unknown, clusterDomain: string): Exposure | undefined {
  if (exposure === undefined) {
    return undefined;
  }
  if (!Exposure.isExposure(exposure)) {
    throw new Error(`${owner}: exposure must be an Exposure, got ${describeValue(exposure)}. Pass Exposure.gatewayApi({ domain, gateway: { name } }) or Exposure.ingressNginx({ domain }).`);
  }
  if (exposure.domain === clusterDomain || exposure.domain.endsWith(`.${clusterDomain}`)) {
    throw new Error(`${owner}: exposure domain "${exposure.domain}" is inside the cluster domain "${clusterDomain}", whose names only the cluster's DNS answers. Give a domain that outside clients resolve to the ingress (for example "fabric.example.com").`);
  }
  return exposure;
}

/** Writes, once per process, that `chart`'s identities come from the public development seed. */
function warnDevelopmentSeed(chart: FabricChart): void {
  const flags = process as unknown as { [DEVELOPMENT_SEED_WARNED]?: boolean };
  if (flags[DEVELOPMENT_SEED_WARNED]) {
    return;
  }
  flags[DEVELOPMENT_SEED_WARNED] = true;
  process.stderr.write(`Hyperkube warning: FabricChart ${chart.node.id} uses identities from the public development seed, so anyone can derive its private keys and passwords. `
    + 'For anything but development, pass identities: new GeneratedIdentities({ seed }) with a secret seed, for example read from an environment variable filled from a Secret; '
    + 'to use the public seed on purpose (tests), pass seed: GeneratedIdentities.DEVELOPMENT_SEED.\n');
}

/**
 * Forgets that the development-seed warning was written, so that a test can see it again.
 * @internal
 */
export function _resetDevelopmentSeedWarning(): void {
  delete (process as unknown as { [DEVELOPMENT_SEED_WARNED]?: boolean })[DEVELOPMENT_SEED_WARNED];
}
