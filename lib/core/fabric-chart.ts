import { createHmac } from 'node:crypto';
import { Chart, ChartProps, JsonPatch } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { KubeNamespace } from '../../imports/k8s';
import { DEVELOPMENT_SEED, GeneratedIdentities } from '../identity/generated/generated-identities';
import { IIdentityProvider } from '../identity/identity-provider';
import { Component, componentLabels, LabelKeys, MANAGED_BY } from './labels';
import { pinnedImage, serviceFqdn, serviceHosts, validateDnsLabel } from './naming';

const FABRIC_CHART = Symbol.for('hyperkube.FabricChart');

/** The Fabric release whose images the constructs use unless told otherwise. */
const DEFAULT_FABRIC_VERSION = '2.5.9';
/** The CouchDB release used for peers that ask for CouchDB. */
const DEFAULT_COUCHDB_VERSION = '3.3.3';

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
   * Where keys and certificates come from.
   * @default new GeneratedIdentities() (development seed)
   */
  readonly identities?: IIdentityProvider;
  /**
   * DNS domain of the cluster, part of every address and TLS certificate.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
  /**
   * Secret from which generated passwords (for example CouchDB's) are derived.
   * @default DEVELOPMENT_SEED
   */
  readonly secretSeed?: string;
  /**
   * StorageClass of the ledger volumes.
   * @default the cluster's default StorageClass
   */
  readonly storageClassName?: string;
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
    const chart = construct.node.scopes.reverse().find(FabricChart.isFabricChart);
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
  private readonly secretSeed: string;
  public readonly peerImage: string;
  public readonly ordererImage: string;
  public readonly toolsImage: string;
  public readonly couchdbImage: string;

  public constructor(scope: Construct, id: string, props: FabricChartProps = {}) {
    const namespace = props.namespace ?? 'fabric';
    const network = props.network ?? id;
    super(scope, id, { ...props, namespace, labels: { ...props.labels, [LabelKeys.PART_OF]: network, [LabelKeys.MANAGED_BY]: MANAGED_BY } });
    Object.defineProperty(this, FABRIC_CHART, { value: true });
    validateDnsLabel(`FabricChart ${id}`, 'namespace', namespace);
    this.network = network;
    this.clusterDomain = props.clusterDomain ?? 'cluster.local';
    this.fabricVersion = props.fabricVersion ?? DEFAULT_FABRIC_VERSION;
    this.identities = props.identities ?? new GeneratedIdentities();
    this.storageClassName = props.storageClassName;
    this.secretSeed = props.secretSeed ?? DEVELOPMENT_SEED;
    const images = props.images ?? {};
    this.peerImage = pinnedImage(id, 'peer', images.peer ?? `hyperledger/fabric-peer:${this.fabricVersion}`);
    this.ordererImage = pinnedImage(id, 'orderer', images.orderer ?? `hyperledger/fabric-orderer:${this.fabricVersion}`);
    this.toolsImage = pinnedImage(id, 'tools', images.tools ?? `hyperledger/fabric-tools:${this.fabricVersion}`);
    this.couchdbImage = pinnedImage(id, 'couchdb', images.couchdb ?? `couchdb:${DEFAULT_COUCHDB_VERSION}`);
    if (props.createNamespace ?? true) {
      // A Namespace is cluster-scoped: drop the namespace the Chart stamps on every object.
      new KubeNamespace(this, 'namespace', { metadata: { name: namespace, labels: componentLabels(Component.NAMESPACE) } }).addJsonPatch(JsonPatch.remove('/metadata/namespace'));
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
   * A password for `purpose`, derived from the chart's secret seed: stable across synths.
   * @internal
   */
  public _deriveSecret(purpose: string): string {
    return createHmac('sha256', this.secretSeed).update(`hyperkube/secret/${purpose}`).digest('base64url').slice(0, 32);
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
