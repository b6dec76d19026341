import { Construct } from 'constructs';
import * as k8s from '../imports/k8s';
import { NodeRole } from './identity/identity-provider';
import { ordererNodeName, Ports, validateCount } from './naming';
import { Organization, OrganizationProps } from './organization';
import { addService, containerPorts, containerSecurity, DefaultResources, envList, healthProbe, LEDGER_VOLUME, LedgerStatefulSet, podDefaults, resourceRequirements, ResourceSettings } from './workload';

/** Props for `Orderer`. */
export interface OrdererProps extends OrganizationProps {
  /**
   * Number of etcdraft consenter nodes. Use an odd number: Raft needs a majority alive.
   * @default 3
   */
  readonly consenters?: number;
  /**
   * Size of each node's ledger volume (blocks, WAL and snapshots).
   * @default '1Gi'
   */
  readonly storage?: string;
  /**
   * CPU and memory of each orderer container.
   * @default 100m/128Mi requested, 1 CPU/512Mi limit
   */
  readonly resources?: ResourceSettings;
  /**
   * Fabric log spec of the nodes.
   * @default 'INFO'
   */
  readonly logSpec?: string;
}

/** One consenter of an ordering organization, as clients and channel configs address it. */
export interface OrdererNode {
  /** Service and host name, for example `orderer-node0`. */
  readonly name: string;
  /** Fully qualified in-cluster host name. */
  readonly host: string;
  /** `host:port` of the ordering service (Broadcast/Deliver and Raft cluster traffic). */
  readonly address: string;
  /** `host:port` of the channel participation (osnadmin) endpoint. */
  readonly adminAddress: string;
  /** Server TLS certificate; Raft writes it into the channel config, so it must stay stable. */
  readonly tlsCertificatePem: string;
}

const ORDERER_PORTS = { orderer: Ports.ORDERER, admin: Ports.ORDERER_ADMIN, operations: Ports.OPERATIONS };

const PATHS = {
  MSP: '/var/hyperledger/orderer/msp',
  TLS: '/var/hyperledger/orderer/tls',
  LEDGER: '/var/hyperledger/production',
} as const;

/**
 * An ordering organization with its etcdraft consenters. Per node: a StatefulSet with a ledger
 * volume, a Service (listen, admin and operations ports, all TLS) and an identity Secret.
 * Channel participation is on and no system channel exists: `Channel` joins the nodes.
 */
export class Orderer extends Organization {
  /** The consenter nodes, in order. */
  public readonly nodes: OrdererNode[];

  public constructor(scope: Construct, id: string, props: OrdererProps) {
    super(scope, id, props, 'Orderer');
    const consenters = props.consenters ?? 3;
    validateCount(`Orderer ${id}`, 'consenters', consenters);
    this.nodes = [];
    for (let index = 0; index < consenters; index++) {
      this.nodes.push(this.addNode(index, props));
    }
  }

  /** `host:port` of every node's ordering endpoint. */
  public get endpoints(): string[] {
    return this.nodes.map((node) => node.address);
  }

  private addNode(index: number, props: OrdererProps): OrdererNode {
    const name = ordererNodeName(this.name, index);
    this.chart.reserve('Service name', name, this, 'Rename one of the organizations so their node names differ.');
    const host = this.chart.fqdn(name);
    const identities = this.chart.identities;
    const tls = identities.tlsIdentity(this, name, [...this.chart.hosts(name), 'localhost']);
    const secretName = `${name}-identity`;
    this.addIdentitySecret(`${name}-identity`, secretName, identities.signingIdentity(this, name, NodeRole.ORDERER), tls);
    const labels = { 'app.kubernetes.io/name': 'fabric-orderer', 'app.kubernetes.io/instance': name, 'app.kubernetes.io/part-of': this.name };
    addService(this, `${name}-service`, name, labels, ORDERER_PORTS, { publishNotReadyAddresses: true });
    new LedgerStatefulSet(this, `${name}-statefulset`, {
      metadata: { name, labels },
      spec: {
        serviceName: name,
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            ...podDefaults(),
            containers: [this.ordererContainer(props, secretName)],
            volumes: [this.localMspVolume('msp', secretName), this.tlsVolume('tls', secretName)],
          },
        },
      },
    }, { size: props.storage ?? '1Gi', storageClassName: this.chart.storageClassName });
    return {
      name,
      host,
      address: `${host}:${Ports.ORDERER}`,
      adminAddress: `${host}:${Ports.ORDERER_ADMIN}`,
      tlsCertificatePem: tls.certificatePem,
    };
  }

  private ordererContainer(props: OrdererProps, secretName: string): k8s.Container {
    return {
      name: 'orderer',
      image: this.chart.ordererImage,
      env: envList({ ...ordererEnvironment(this.mspId), FABRIC_LOGGING_SPEC: props.logSpec ?? 'INFO' }),
      ports: containerPorts(ORDERER_PORTS),
      volumeMounts: [
        { name: 'msp', mountPath: PATHS.MSP, readOnly: true },
        { name: 'tls', mountPath: PATHS.TLS, readOnly: true },
        { name: LEDGER_VOLUME, mountPath: PATHS.LEDGER },
      ],
      resources: resourceRequirements(`Orderer ${this.node.id} (${secretName})`, props.resources ?? {}, DefaultResources.ORDERER),
      readinessProbe: healthProbe(Ports.OPERATIONS, 5),
      livenessProbe: healthProbe(Ports.OPERATIONS, 30),
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
    ORDERER_METRICS_PROVIDER: 'prometheus',
    ORDERER_FILELEDGER_LOCATION: ledger,
    ORDERER_CONSENSUS_WALDIR: `${ledger}/etcdraft/wal`,
    ORDERER_CONSENSUS_SNAPDIR: `${ledger}/etcdraft/snapshot`,
  };
}
