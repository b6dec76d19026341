import { Construct, IConstruct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { FabricChart } from '../core/fabric-chart';
import { Component, componentLabels, selectorLabels } from '../core/labels';
import { validateLogSpec } from '../core/fabric-values';
import { ordererNodeName, Ports, validateCount } from '../core/naming';
import { rejectUnknownProps } from '../core/props';
import {
  addService, containerPorts, containerSecurity, DefaultResources, envList,
  LEDGER_VOLUME, ledgerSize, livenessHealthProbe, readinessHealthProbe, resourceRequirements, ResourceSettings, singletonStatefulSet,
} from '../core/workload';
import { NodeRole } from '../identity/identity-provider';
import { localMspVolume, provideIdentity, tlsVolume } from './msp';
import { IOrganization, Organization, OrganizationProps } from './organization';

/** One consenter, as clients and channel configs address it. */
export interface IOrdererNode extends IConstruct {
  /** Service and host name, for example `orderer-node0`. */
  readonly name: string;
  /** Fully qualified in-cluster host name. */
  readonly host: string;
  /** `host:port` of the ordering service (Broadcast/Deliver and Raft cluster traffic). */
  readonly address: string;
  /** `host:port` of the channel participation (osnadmin) endpoint. */
  readonly adminAddress: string;
  /** `host:port` of the ordering service for clients outside the cluster, when the chart has an exposure. */
  readonly externalAddress?: string;
  /** `host:port` of the osnadmin endpoint for clients outside the cluster, when the chart has an exposure. */
  readonly externalAdminAddress?: string;
  /**
   * Server TLS certificate, when known at synth time. Raft writes it into the channel config and
   * matches nodes by its public key, so renewals keep the key.
   */
  readonly tlsCertificatePem?: string;
  /** Name of the Secret holding the node's identity and TLS pair (keys `IdentityKeys`). */
  readonly identitySecretName: string;
}

/** An ordering organization, as channels see it. */
export interface IOrderer extends IOrganization {
  /** The consenter nodes, in order. */
  readonly nodes: IOrdererNode[];
}

/** How each consenter of an ordering organization runs. */
export interface OrdererNodeSettings {
  /**
   * Size of each node's ledger volume (blocks, WAL and snapshots), a Kubernetes quantity such as '10Gi'.
   * @default '1Gi'
   */
  readonly storage?: string;
  /**
   * CPU and memory of each orderer container; any size, a request no higher than its limit.
   * @default 100m/128Mi requested, 1 CPU/512Mi limit
   */
  readonly resources?: ResourceSettings;
  /**
   * Fabric log spec of the nodes (`FABRIC_LOGGING_SPEC`), for example 'info:orderer.consensus.etcdraft=debug'.
   * @default 'INFO'
   */
  readonly logSpec?: string;
}

/** Props for `Orderer`. */
export interface OrdererProps extends OrganizationProps, OrdererNodeSettings {
  /**
   * Number of etcdraft consenter nodes. Use an odd number: Raft needs a majority alive.
   * @default 3
   */
  readonly consenters?: number;
}

/** Props for `OrdererNode`. */
export interface OrdererNodeProps extends OrdererNodeSettings {
  /** Position of the node in its organization; its name is `<org>-node<index>`. */
  readonly index: number;
}

const ORDERER_PORTS = { orderer: Ports.ORDERER, admin: Ports.ORDERER_ADMIN, operations: Ports.OPERATIONS };

const PATHS = {
  MSP: '/var/hyperledger/orderer/msp',
  TLS: '/var/hyperledger/orderer/tls',
  LEDGER: '/var/hyperledger/production',
} as const;

/** Every prop of `Orderer`, so that a misspelt one is refused (the compiler keeps the list whole). */
const ORDERER_PROPS: Record<keyof OrdererProps, true> = {
  mspId: true, name: true, consenters: true, storage: true, resources: true, logSpec: true,
};

/**
 * An ordering organization with its etcdraft consenters (`nodes[i]`, each an `OrdererNode`).
 * Channel participation is on and no system channel exists: `Channel` joins the nodes.
 */
export class Orderer extends Organization implements IOrderer {
  private readonly _nodes: OrdererNode[];

  public constructor(scope: Construct, id: string, props: OrdererProps) {
    super(scope, id, props, 'Orderer');
    if (new.target === Orderer) {
      rejectUnknownProps(`Orderer ${id}`, props, ORDERER_PROPS);
    }
    const consenters = validateCount(`Orderer ${id}`, 'consenters', props.consenters ?? 3);
    this._nodes = Array.from({ length: consenters }, (_, index) => new OrdererNode(this, `node${index}`, { ...props, index }));
  }

  /** The consenter nodes, in order (a copy). */
  public get nodes(): IOrdererNode[] {
    return [...this._nodes];
  }

  /** `host:port` of every node's ordering endpoint. */
  public get endpoints(): string[] {
    return this._nodes.map((node) => node.address);
  }
}

/**
 * One consenter of an `Orderer`: a StatefulSet with a ledger volume, a Service (listen, admin and
 * operations ports, all TLS) and an identity Secret. The StatefulSet is the default child, so
 * `ApiObject.of(node)` is the escape hatch.
 */
export class OrdererNode extends Construct implements IOrdererNode {
  public readonly name: string;
  public readonly host: string;
  public readonly address: string;
  public readonly adminAddress: string;
  public readonly externalAddress?: string;
  public readonly externalAdminAddress?: string;
  public readonly tlsCertificatePem?: string;
  /** Name of the Secret holding the node's identity and TLS pair. */
  public readonly identitySecretName: string;
  private readonly org: Orderer;
  private readonly chart: FabricChart;

  public constructor(org: Orderer, id: string, props: OrdererNodeProps) {
    super(org, id);
    this.org = org;
    this.chart = FabricChart.find(this);
    const owner = `Orderer ${org.node.id}`;
    this.name = ordererNodeName(org.name, props.index);
    const logSpec = validateLogSpec(owner, props.logSpec ?? 'INFO');
    const size = ledgerSize(owner, props.storage);
    this.chart._reserve('Service name', this.name, this, 'Rename one of the organizations so their node names differ.');
    this.host = this.chart.fqdn(this.name);
    this.address = `${this.host}:${Ports.ORDERER}`;
    this.adminAddress = `${this.host}:${Ports.ORDERER_ADMIN}`;
    this.identitySecretName = `${this.name}-identity`;
    const externalHosts: string[] = [];
    const exposure = this.chart.exposure;
    if (exposure) {
      const listen = exposure._expose(this, 'route', { name: this.name, org: org.name, node: id, service: this.name, servicePort: Ports.ORDERER });
      const admin = exposure._expose(this, 'admin-route', { name: `${this.name}-admin`, org: org.name, node: `${id}-admin`, service: this.name, servicePort: Ports.ORDERER_ADMIN });
      this.externalAddress = `${listen}:${exposure.port}`;
      this.externalAdminAddress = `${admin}:${exposure.port}`;
      externalHosts.push(listen, admin);
    }
    this.tlsCertificatePem = provideIdentity(this, org, {
      secretName: this.identitySecretName,
      name: this.name,
      role: NodeRole.ORDERER,
      tlsHosts: [...this.chart.hosts(this.name), 'localhost', ...externalHosts],
      restarts: `statefulset/${this.name}`,
    }).tlsCertificatePem;
    const selector = selectorLabels('fabric-orderer', this.name);
    const labels = componentLabels(Component.ORDERER, org.name);
    addService(this, 'service', { name: this.name, labels, selector, ports: ORDERER_PORTS, publishNotReadyAddresses: true });
    this.node.defaultChild = singletonStatefulSet(this, {
      name: this.name,
      labels,
      selector,
      pod: {
        containers: [this.ordererContainer(props, logSpec)],
        volumes: [localMspVolume(org, 'msp', this.identitySecretName), tlsVolume(org, 'tls', this.identitySecretName)],
      },
    }, { size, storageClassName: this.chart.storageClassName });
  }

  private ordererContainer(props: OrdererNodeProps, logSpec: string): k8s.Container {
    return {
      name: 'orderer',
      image: this.chart.ordererImage,
      env: envList({ ...ordererEnvironment(this.org.mspId), FABRIC_LOGGING_SPEC: logSpec }),
      ports: containerPorts(ORDERER_PORTS),
      volumeMounts: [
        { name: 'msp', mountPath: PATHS.MSP, readOnly: true },
        { name: 'tls', mountPath: PATHS.TLS, readOnly: true },
        { name: LEDGER_VOLUME, mountPath: PATHS.LEDGER },
      ],
      resources: resourceRequirements(`Orderer ${this.org.node.id}`, props.resources, DefaultResources.ORDERER),
      readinessProbe: readinessHealthProbe(Ports.OPERATIONS),
      livenessProbe: livenessHealthProbe(Ports.OPERATIONS),
      securityContext: containerSecurity(),
    };
  }
}

/** orderer.yaml overrides: TLS on every listener, channel participation on, no system channel. */
function ordererEnvironment(mspId: string): Record<string, string> {
  const tlsCert = `${PATHS.TLS}/tls.crt`;
  const tlsKey = `${PATHS.TLS}/tls.key`;
  const tlsRoots = `[${PATHS.TLS}/ca.crt]`;
  const ledger = `${PATHS.LEDGER}/orderer`;
  return {
    ORDERER_GENERAL_LISTENADDRESS: '0.0.0.0',
    ORDERER_GENERAL_LISTENPORT: String(Ports.ORDERER),
    ORDERER_GENERAL_LOCALMSPID: mspId,
    ORDERER_GENERAL_LOCALMSPDIR: PATHS.MSP,
    ORDERER_GENERAL_BOOTSTRAPMETHOD: 'none',
    ORDERER_GENERAL_TLS_ENABLED: 'true',
    ORDERER_GENERAL_TLS_CERTIFICATE: tlsCert,
    ORDERER_GENERAL_TLS_PRIVATEKEY: tlsKey,
    ORDERER_GENERAL_TLS_ROOTCAS: tlsRoots,
    ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE: tlsCert,
    ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY: tlsKey,
    ORDERER_GENERAL_CLUSTER_ROOTCAS: tlsRoots,
    ORDERER_CHANNELPARTICIPATION_ENABLED: 'true',
    ORDERER_ADMIN_LISTENADDRESS: `0.0.0.0:${Ports.ORDERER_ADMIN}`,
    ORDERER_ADMIN_TLS_ENABLED: 'true',
    ORDERER_ADMIN_TLS_CERTIFICATE: tlsCert,
    ORDERER_ADMIN_TLS_PRIVATEKEY: tlsKey,
    ORDERER_ADMIN_TLS_ROOTCAS: tlsRoots,
    ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED: 'true',
    ORDERER_ADMIN_TLS_CLIENTROOTCAS: tlsRoots,
    ORDERER_OPERATIONS_LISTENADDRESS: `0.0.0.0:${Ports.OPERATIONS}`,
    ORDERER_OPERATIONS_TLS_ENABLED: 'true',
    ORDERER_OPERATIONS_TLS_CERTIFICATE: tlsCert,
    ORDERER_OPERATIONS_TLS_PRIVATEKEY: tlsKey,
    // /metrics and /logspec answer only clients with a certificate from the org's TLS CA.
    ORDERER_OPERATIONS_TLS_CLIENTROOTCAS: tlsRoots,
    ORDERER_METRICS_PROVIDER: 'prometheus',
    ORDERER_FILELEDGER_LOCATION: ledger,
    ORDERER_CONSENSUS_WALDIR: `${ledger}/etcdraft/wal`,
    ORDERER_CONSENSUS_SNAPDIR: `${ledger}/etcdraft/snapshot`,
  };
}
