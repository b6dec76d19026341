import { Construct } from 'constructs';
import * as k8s from '../imports/k8s';
import { NodeRole } from './identity/identity-provider';
import { peerName, Ports, validateCount, validateDnsLabel } from './naming';
import { Organization, OrganizationProps } from './organization';
import { SCRIPTS_MOUNT_PATH, ScriptLibrary } from './script-library';
import { addService, containerPorts, opaqueSecret, containerSecurity, DefaultResources, envList, healthProbe, LEDGER_VOLUME, LedgerStatefulSet, podDefaults, resourceRequirements, ResourceSettings } from './workload';

/** The world-state database of the peers. */
export enum StateDatabase {
  /** LevelDB embedded in the peer: no extra container. */
  LEVELDB = 'goleveldb',
  /** CouchDB in a sidecar of each peer: rich JSON queries. */
  COUCHDB = 'CouchDB',
}

/** Props for `PeerOrg`. */
export interface PeerOrgProps extends OrganizationProps {
  /**
   * Number of peers.
   * @default 1
   */
  readonly peers?: number;
  /**
   * Indexes of the peers announced as anchor peers in channel configs, so other organizations
   * and service discovery can reach this one.
   * @default [0]
   */
  readonly anchorPeers?: number[];
  /**
   * World-state database.
   * @default StateDatabase.LEVELDB
   */
  readonly stateDatabase?: StateDatabase;
  /**
   * Client identities (OU `client`) to issue, each in a Secret `<org>-<user>` for applications.
   * @default ['user1']
   */
  readonly users?: string[];
  /**
   * Size of each peer's ledger volume.
   * @default '1Gi'
   */
  readonly storage?: string;
  /**
   * CPU and memory of each peer container.
   * @default 100m/192Mi requested, 1 CPU/1Gi limit
   */
  readonly resources?: ResourceSettings;
  /**
   * Fabric log spec of the peers.
   * @default 'INFO'
   */
  readonly logSpec?: string;
}

/** One peer as clients, gossip and discovery address it. */
export interface PeerNode {
  /** Service and host name, for example `org1-peer0`. */
  readonly name: string;
  /** Fully qualified in-cluster host name. */
  readonly host: string;
  /** `host:port` of the peer endpoint (also its gossip external endpoint). */
  readonly address: string;
}

/** A Fabric Gateway connection profile, in the common connection profile layout. */
export interface ConnectionProfile {
  readonly name: string;
  readonly version: string;
  readonly client: { readonly organization: string };
  readonly organizations: Record<string, { readonly mspid: string; readonly peers: string[] }>;
  readonly peers: Record<string, {
    readonly url: string;
    readonly tlsCACerts: { readonly pem: string };
    readonly grpcOptions: Record<string, string>;
  }>;
}

const PEER_PORTS = { peer: Ports.PEER, operations: Ports.OPERATIONS };

const PATHS = {
  CONFIG: '/var/hyperledger/config',
  MSP: '/var/hyperledger/peer/msp',
  TLS: '/var/hyperledger/peer/tls',
  LEDGER: '/var/hyperledger/production',
} as const;

/**
 * A peer organization and its peers. Per peer: a StatefulSet with a ledger volume, a Service and
 * an identity Secret; the peer runs chaincode only through external builders (CCaaS). The
 * organization also gets client identities and a connection profile for gateway applications.
 */
export class PeerOrg extends Organization {
  /** The peers, in order. */
  public readonly peers: PeerNode[];
  /** The anchor peers. */
  public readonly anchorPeers: PeerNode[];
  /** Names of the client identity Secrets, by user name. */
  public readonly userSecretNames: Record<string, string>;
  /** Name of the ConfigMap holding `connection.json`. */
  public readonly connectionProfileConfigMapName: string;

  public constructor(scope: Construct, id: string, props: PeerOrgProps) {
    super(scope, id, props, 'PeerOrg');
    const owner = `PeerOrg ${id}`;
    const count = props.peers ?? 1;
    validateCount(owner, 'peers', count);
    const anchorIndexes = props.anchorPeers ?? [0];
    if (anchorIndexes.length === 0) {
      throw new Error(`${owner}: anchorPeers is empty. Name at least one peer index (for example [0]) so other organizations can find this one.`);
    }
    for (const index of anchorIndexes) {
      if (!Number.isInteger(index) || index < 0 || index >= count) {
        throw new Error(`${owner}: anchor peer index ${index} does not exist; the organization has peers 0 to ${count - 1}.`);
      }
    }
    this.peers = Array.from({ length: count }, (_, index) => this.describePeer(index));
    this.anchorPeers = [...new Set(anchorIndexes)].map((index) => this.peers[index]);
    for (const peer of this.peers) {
      this.addPeer(peer, props);
    }
    this.userSecretNames = this.addUsers(owner, props.users ?? ['user1']);
    this.connectionProfileConfigMapName = `${this.name}-connection-profile`;
    new k8s.KubeConfigMap(this, 'connection-profile', {
      metadata: { name: this.connectionProfileConfigMapName },
      data: { 'connection.json': JSON.stringify(this.connectionProfile(), undefined, 2) + '\n' },
    });
  }

  /** The connection profile for Fabric Gateway clients of this organization. */
  public connectionProfile(): ConnectionProfile {
    const tlsCaPem = this.certificateAuthorities.tlsCaPem;
    return {
      name: `${this.chart.namespace}-${this.name}`,
      version: '1.0.0',
      client: { organization: this.mspId },
      organizations: { [this.mspId]: { mspid: this.mspId, peers: this.peers.map((peer) => peer.name) } },
      peers: Object.fromEntries(this.peers.map((peer) => [peer.name, {
        url: `grpcs://${peer.address}`,
        tlsCACerts: { pem: tlsCaPem },
        grpcOptions: { 'ssl-target-name-override': peer.host, 'hostnameOverride': peer.host },
      }])),
    };
  }

  private describePeer(index: number): PeerNode {
    const name = peerName(this.name, index);
    const host = this.chart.fqdn(name);
    return { name, host, address: `${host}:${Ports.PEER}` };
  }

  private addPeer(peer: PeerNode, props: PeerOrgProps): void {
    this.chart.reserve('Service name', peer.name, this, 'Rename one of the organizations so their peer names differ.');
    const identities = this.chart.identities;
    const secretName = `${peer.name}-identity`;
    this.addIdentitySecret(`${peer.name}-identity`, secretName,
      identities.signingIdentity(this, peer.name, NodeRole.PEER),
      identities.tlsIdentity(this, peer.name, [...this.chart.hosts(peer.name), 'localhost']));
    const labels = { 'app.kubernetes.io/name': 'fabric-peer', 'app.kubernetes.io/instance': peer.name, 'app.kubernetes.io/part-of': this.name };
    addService(this, `${peer.name}-service`, peer.name, labels, PEER_PORTS, { publishNotReadyAddresses: true });
    const couchDb = props.stateDatabase === StateDatabase.COUCHDB ? this.addCouchDbCredentials(peer) : undefined;
    const scripts = ScriptLibrary.of(this.chart);
    new LedgerStatefulSet(this, `${peer.name}-statefulset`, {
      metadata: { name: peer.name, labels },
      spec: {
        serviceName: peer.name,
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            ...podDefaults(),
            initContainers: [this.coreConfigContainer()],
            containers: [
              this.peerContainer(peer, props, couchDb),
              ...(couchDb ? [this.couchDbContainer(couchDb)] : []),
            ],
            volumes: [
              this.localMspVolume('msp', secretName),
              this.tlsVolume('tls', secretName),
              { name: 'config', emptyDir: {} },
              scripts.volume('scripts'),
            ],
          },
        },
      },
    }, { size: props.storage ?? '1Gi', storageClassName: this.chart.storageClassName });
  }

  /** Derives core.yaml from the image's own copy, minus the Docker endpoint (see peer-config.sh). */
  private coreConfigContainer(): k8s.Container {
    return {
      name: 'core-config',
      image: this.chart.peerImage,
      command: ['sh', `${SCRIPTS_MOUNT_PATH}/peer-config.sh`],
      env: envList({ SOURCE_CONFIG: '/etc/hyperledger/fabric/core.yaml', TARGET_CONFIG: `${PATHS.CONFIG}/core.yaml` }),
      volumeMounts: [
        { name: 'config', mountPath: PATHS.CONFIG },
        { name: 'scripts', mountPath: SCRIPTS_MOUNT_PATH, readOnly: true },
      ],
      resources: resourceRequirements(`PeerOrg ${this.node.id}`, {}, DefaultResources.INIT),
      securityContext: containerSecurity(),
    };
  }

  private peerContainer(peer: PeerNode, props: PeerOrgProps, couchDb?: string): k8s.Container {
    const bootstrap = this.peers.filter((other) => other !== peer).map((other) => other.address);
    const env = envList({
      ...peerEnvironment(this.mspId, peer, bootstrap.length > 0 ? bootstrap : [peer.address]),
      CORE_LEDGER_STATE_STATEDATABASE: props.stateDatabase ?? StateDatabase.LEVELDB,
      FABRIC_LOGGING_SPEC: props.logSpec ?? 'INFO',
      ...(couchDb ? { CORE_LEDGER_STATE_COUCHDBCONFIG_COUCHDBADDRESS: `localhost:${Ports.COUCHDB}` } : {}),
    });
    if (couchDb) {
      env.push(
        { name: 'CORE_LEDGER_STATE_COUCHDBCONFIG_USERNAME', valueFrom: { secretKeyRef: { name: couchDb, key: 'username' } } },
        { name: 'CORE_LEDGER_STATE_COUCHDBCONFIG_PASSWORD', valueFrom: { secretKeyRef: { name: couchDb, key: 'password' } } },
      );
    }
    return {
      name: 'peer',
      image: this.chart.peerImage,
      command: ['peer', 'node', 'start'],
      env,
      ports: containerPorts(PEER_PORTS),
      volumeMounts: [
        { name: 'config', mountPath: PATHS.CONFIG, readOnly: true },
        { name: 'msp', mountPath: PATHS.MSP, readOnly: true },
        { name: 'tls', mountPath: PATHS.TLS, readOnly: true },
        { name: LEDGER_VOLUME, mountPath: PATHS.LEDGER },
      ],
      resources: resourceRequirements(`PeerOrg ${this.node.id} (${peer.name})`, props.resources ?? {}, DefaultResources.PEER),
      readinessProbe: healthProbe(Ports.OPERATIONS, 5),
      livenessProbe: healthProbe(Ports.OPERATIONS, 30),
      securityContext: containerSecurity(),
    };
  }

  private addCouchDbCredentials(peer: PeerNode): string {
    const secretName = `${peer.name}-couchdb`;
    opaqueSecret(this, `${peer.name}-couchdb`, secretName, { username: 'admin', password: this.chart.deriveSecret(`couchdb/${peer.name}`) });
    return secretName;
  }

  private couchDbContainer(credentialsSecret: string): k8s.Container {
    return {
      name: 'couchdb',
      image: this.chart.couchdbImage,
      env: [
        { name: 'COUCHDB_USER', valueFrom: { secretKeyRef: { name: credentialsSecret, key: 'username' } } },
        { name: 'COUCHDB_PASSWORD', valueFrom: { secretKeyRef: { name: credentialsSecret, key: 'password' } } },
      ],
      ports: [{ name: 'couchdb', containerPort: Ports.COUCHDB }],
      volumeMounts: [{ name: LEDGER_VOLUME, mountPath: '/opt/couchdb/data', subPath: 'couchdb' }],
      resources: resourceRequirements(`PeerOrg ${this.node.id} (couchdb)`, {}, DefaultResources.COUCHDB),
      readinessProbe: { tcpSocket: { port: k8s.IntOrString.fromNumber(Ports.COUCHDB) }, periodSeconds: 10 },
      securityContext: containerSecurity(),
    };
  }

  private addUsers(owner: string, users: string[]): Record<string, string> {
    const secrets: Record<string, string> = {};
    for (const user of users) {
      validateDnsLabel(owner, 'user name', user, 20);
      if (user === 'admin' || secrets[user]) {
        throw new Error(`${owner}: user "${user}" is listed twice or clashes with the admin identity; give each user a distinct name other than "admin".`);
      }
      secrets[user] = `${this.name}-${user}`;
      const identity = this.chart.identities.signingIdentity(this, `${this.name}-${user}`, NodeRole.CLIENT);
      this.addIdentitySecret(`user-${user}`, secrets[user], identity);
    }
    return secrets;
  }
}

/** core.yaml overrides: identity, TLS on every listener, gossip that other organizations can reach. */
function peerEnvironment(mspId: string, peer: PeerNode, gossipBootstrap: string[]): Record<string, string> {
  return {
    FABRIC_CFG_PATH: PATHS.CONFIG,
    CORE_PEER_ID: peer.name,
    CORE_PEER_ADDRESS: peer.address,
    CORE_PEER_LISTENADDRESS: `0.0.0.0:${Ports.PEER}`,
    CORE_PEER_CHAINCODELISTENADDRESS: `0.0.0.0:${Ports.PEER_CHAINCODE}`,
    CORE_PEER_GOSSIP_BOOTSTRAP: gossipBootstrap.join(' '),
    CORE_PEER_GOSSIP_EXTERNALENDPOINT: peer.address,
    CORE_PEER_LOCALMSPID: mspId,
    CORE_PEER_MSPCONFIGPATH: PATHS.MSP,
    CORE_PEER_FILESYSTEMPATH: `${PATHS.LEDGER}/peer`,
    CORE_PEER_TLS_ENABLED: 'true',
    CORE_PEER_TLS_CERT_FILE: `${PATHS.TLS}/tls.crt`,
    CORE_PEER_TLS_KEY_FILE: `${PATHS.TLS}/tls.key`,
    CORE_PEER_TLS_ROOTCERT_FILE: `${PATHS.TLS}/ca.crt`,
    CORE_PEER_GATEWAY_ENABLED: 'true',
    CORE_OPERATIONS_LISTENADDRESS: `0.0.0.0:${Ports.OPERATIONS}`,
    CORE_OPERATIONS_TLS_ENABLED: 'true',
    CORE_OPERATIONS_TLS_CERT_FILE: `${PATHS.TLS}/tls.crt`,
    CORE_OPERATIONS_TLS_KEY_FILE: `${PATHS.TLS}/tls.key`,
    CORE_METRICS_PROVIDER: 'prometheus',
  };
}
