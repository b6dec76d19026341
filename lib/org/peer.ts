import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { FabricChart } from '../core/fabric-chart';
import { Component, componentLabels, selectorLabels } from '../core/labels';
import { validateLogSpec } from '../core/fabric-values';
import { peerName, Ports } from '../core/naming';
import { requireEnum } from '../core/props';
import {
  addService, containerPorts, containerSecurity, DefaultResources, envList, livenessHealthProbe, readinessHealthProbe, readinessTcpProbe,
  LEDGER_VOLUME, ledgerSize, resourceRequirements, ResourceSettings, singletonStatefulSet,
} from '../core/workload';
import { NodeRole } from '../identity/identity-provider';
import { SCRIPTS_MOUNT_PATH, ScriptLibrary } from '../internal/script-library';
import { localMspVolume, MspKeys, provideIdentity, tlsVolume } from './msp';
import type { IPeer, PeerOrg } from './peer-org';

/** The world-state database of the peers. */
export enum StateDatabase {
  /** LevelDB embedded in the peer: no extra container. */
  LEVELDB = 'goleveldb',
  /** CouchDB in a sidecar of each peer: rich JSON queries. */
  COUCHDB = 'CouchDB',
}

/** How each peer of an organization runs. */
export interface PeerSettings {
  /**
   * World-state database.
   * @default StateDatabase.LEVELDB
   */
  readonly stateDatabase?: StateDatabase;
  /**
   * Size of each peer's ledger volume, a Kubernetes quantity such as '10Gi'.
   * @default '1Gi'
   */
  readonly storage?: string;
  /**
   * CPU and memory of each peer container; any size, a request no higher than its limit.
   * @default 100m/192Mi requested, 1 CPU/1Gi limit
   */
  readonly resources?: ResourceSettings;
  /**
   * Fabric log spec of the peers (`FABRIC_LOGGING_SPEC`), for example 'info:gossip=warn'.
   * @default 'INFO'
   */
  readonly logSpec?: string;
}

/** Props for `Peer`. */
export interface PeerProps extends PeerSettings {
  /** Position of the peer in its organization; its name is `<org>-peer<index>`. */
  readonly index: number;
}

const PEER_PORTS = { peer: Ports.PEER, operations: Ports.OPERATIONS };

const PATHS = {
  CONFIG: '/var/hyperledger/config',
  MSP: '/var/hyperledger/peer/msp',
  TLS: '/var/hyperledger/peer/tls',
  LEDGER: '/var/hyperledger/production',
} as const;

/** The script of the init container that writes core.yaml. */
const PEER_CONFIG_SCRIPT = 'peer-config.sh';

/**
 * One peer of a `PeerOrg`: a StatefulSet with a ledger volume, a Service and an identity Secret.
 * The peer runs chaincode only through external builders (CCaaS). The StatefulSet is the default
 * child, so `ApiObject.of(peer)` is the escape hatch for anything the props do not cover.
 */
export class Peer extends Construct implements IPeer {
  public readonly name: string;
  public readonly host: string;
  public readonly address: string;
  public readonly externalHost?: string;
  public readonly externalAddress?: string;
  /** Name of the Secret holding the peer's identity and TLS pair. */
  public readonly identitySecretName: string;
  private readonly org: PeerOrg;
  private readonly chart: FabricChart;

  public constructor(org: PeerOrg, id: string, props: PeerProps) {
    super(org, id);
    this.org = org;
    this.chart = FabricChart.find(this);
    const owner = `PeerOrg ${org.node.id}`;
    this.name = peerName(org.name, props.index);
    const stateDatabase = requireEnum(owner, 'stateDatabase', props.stateDatabase ?? StateDatabase.LEVELDB, StateDatabase, 'StateDatabase');
    const logSpec = validateLogSpec(owner, props.logSpec ?? 'INFO');
    const size = ledgerSize(owner, props.storage);
    this.host = this.chart.fqdn(this.name);
    this.address = `${this.host}:${Ports.PEER}`;
    this.chart._reserve('Service name', this.name, this, 'Rename one of the organizations so their peer names differ.');
    this.identitySecretName = `${this.name}-identity`;
    const exposure = this.chart.exposure;
    if (exposure) {
      this.externalHost = exposure._expose(this, 'route', { name: this.name, org: org.name, node: id, service: this.name, servicePort: Ports.PEER });
      this.externalAddress = `${this.externalHost}:${exposure.port}`;
    }
    provideIdentity(this, org, {
      secretName: this.identitySecretName,
      name: this.name,
      role: NodeRole.PEER,
      tlsHosts: [...this.chart.hosts(this.name), 'localhost', ...(this.externalHost ? [this.externalHost] : [])],
      restarts: `statefulset/${this.name}`,
    });
    const selector = selectorLabels('fabric-peer', this.name);
    const labels = componentLabels(Component.PEER, org.name);
    addService(this, 'service', { name: this.name, labels, selector, ports: PEER_PORTS, publishNotReadyAddresses: true });
    const couchDb = stateDatabase === StateDatabase.COUCHDB ? this.addCouchDbCredentials(labels) : undefined;
    const scripts = ScriptLibrary.of(this.chart);
    this.node.defaultChild = singletonStatefulSet(this, {
      name: this.name,
      labels,
      selector,
      annotations: { 'hyperkube.io/scripts-digest': scripts.digest([PEER_CONFIG_SCRIPT]) },
      pod: {
        initContainers: [this.coreConfigContainer()],
        containers: [this.peerContainer(props, stateDatabase, logSpec, couchDb), ...(couchDb ? [this.couchDbContainer(couchDb)] : [])],
        volumes: [
          localMspVolume(org, 'msp', this.identitySecretName),
          tlsVolume(org, 'tls', this.identitySecretName),
          { name: 'config', emptyDir: {} },
          scripts.volume('scripts'),
        ],
      },
    }, { size, storageClassName: this.chart.storageClassName });
  }

  /** Derives core.yaml from the image's own copy, minus the Docker endpoint (see peer-config.sh). */
  private coreConfigContainer(): k8s.Container {
    return {
      name: 'core-config',
      image: this.chart.peerImage,
      command: ['sh', `${SCRIPTS_MOUNT_PATH}/${PEER_CONFIG_SCRIPT}`],
      env: envList({ SOURCE_CONFIG: '/etc/hyperledger/fabric/core.yaml', TARGET_CONFIG: `${PATHS.CONFIG}/core.yaml` }),
      volumeMounts: [
        { name: 'config', mountPath: PATHS.CONFIG },
        { name: 'scripts', mountPath: SCRIPTS_MOUNT_PATH, readOnly: true },
      ],
      resources: resourceRequirements(`PeerOrg ${this.org.node.id}`, {}, DefaultResources.INIT),
      securityContext: containerSecurity(),
    };
  }

  private peerContainer(props: PeerProps, stateDatabase: StateDatabase, logSpec: string, couchDb?: string): k8s.Container {
    const env = envList({
      ...peerEnvironment(this.org.mspId, this, gossipBootstrap(this.chart, this.org.name, props.index)),
      CORE_LEDGER_STATE_STATEDATABASE: stateDatabase,
      FABRIC_LOGGING_SPEC: logSpec,
      ...(couchDb ? { CORE_LEDGER_STATE_COUCHDBCONFIG_COUCHDBADDRESS: `localhost:${Ports.COUCHDB}` } : {}),
    });
    if (couchDb) {
      env.push(
        { name: 'CORE_LEDGER_STATE_COUCHDBCONFIG_USERNAME', valueFrom: { secretKeyRef: { name: couchDb, key: 'username' } } },
        { name: 'CORE_LEDGER_STATE_COUCHDBCONFIG_PASSWORD', valueFrom: { secretKeyRef: { name: couchDb, key: 'password' } } },
      );
    }
    if (!this.org.certificateAuthorities) {
      // The TLS CA exists only in the cluster: chaincode packages leave root_cert to the builder.
      env.push({ name: 'CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG', valueFrom: { configMapKeyRef: { name: this.org.mspConfigMapName, key: MspKeys.CCAAS_BUILDER_CONFIG } } });
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
      resources: resourceRequirements(`PeerOrg ${this.org.node.id}`, props.resources, DefaultResources.PEER),
      readinessProbe: readinessHealthProbe(Ports.OPERATIONS),
      livenessProbe: livenessHealthProbe(Ports.OPERATIONS),
      securityContext: containerSecurity(),
    };
  }

  private addCouchDbCredentials(labels: Record<string, string>): string {
    const secretName = `${this.name}-couchdb`;
    this.chart.identities.password(this, { secretName, username: 'admin', purpose: `couchdb/${this.name}`, labels });
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
      resources: resourceRequirements(`PeerOrg ${this.org.node.id} (couchdb)`, {}, DefaultResources.COUCHDB),
      readinessProbe: readinessTcpProbe(Ports.COUCHDB),
      securityContext: containerSecurity(),
    };
  }
}

/**
 * The gossip bootstrap of peer `index`: the peers before it, or itself for the first. Peers added
 * later never change an existing peer's list, so growing an organization restarts no peer.
 */
function gossipBootstrap(chart: FabricChart, org: string, index: number): string[] {
  const indexes = index === 0 ? [0] : Array.from({ length: index }, (_, earlier) => earlier);
  return indexes.map((other) => `${chart.fqdn(peerName(org, other))}:${Ports.PEER}`);
}

/** core.yaml overrides: identity, TLS on every listener, gossip that other organizations can reach. */
function peerEnvironment(mspId: string, peer: IPeer, bootstrap: string[]): Record<string, string> {
  return {
    FABRIC_CFG_PATH: PATHS.CONFIG,
    CORE_PEER_ID: peer.name,
    CORE_PEER_ADDRESS: peer.address,
    CORE_PEER_LISTENADDRESS: `0.0.0.0:${Ports.PEER}`,
    CORE_PEER_CHAINCODELISTENADDRESS: `0.0.0.0:${Ports.PEER_CHAINCODE}`,
    CORE_PEER_GOSSIP_BOOTSTRAP: bootstrap.join(' '),
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
    // /metrics and /logspec answer only clients with a certificate from the org's TLS CA.
    CORE_OPERATIONS_TLS_CLIENTROOTCAS_FILES: `${PATHS.TLS}/ca.crt`,
    CORE_METRICS_PROVIDER: 'prometheus',
  };
}
