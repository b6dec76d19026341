import { Construct } from 'constructs';
import * as k8s from '../imports/k8s';
import { buildCcaasPackage, CcaasPackage } from './ccaas-package';
import { Channel, distinctMspAccess } from './channel';
import { FabricChart, pinnedImage } from './fabric-chart';
import { FabricJob } from './fabric-job';
import { chaincodeServerName, Ports, validateChaincodeName, validateCount } from './naming';
import { IdentityKeys, tlsCaFile } from './organization';
import { PeerOrg } from './peer-org';
import { EndorsementPolicy, ImplicitMetaRule, SignaturePolicy } from './policy';
import { addService, containerPorts, opaqueSecret, containerSecurity, DefaultResources, envList, podDefaults, resourceRequirements, ResourceSettings } from './workload';

/** A private data collection of a chaincode. */
export interface PrivateDataCollection {
  /** Collection name. */
  readonly name: string;
  /** Signature policy naming the organizations that hold the data, for example `OR('Org1MSP.member','Org2MSP.member')`. */
  readonly policy: string;
  /** @default 0 */
  readonly requiredPeerCount?: number;
  /** @default 1 */
  readonly maxPeerCount?: number;
  /** Blocks after which the private data is purged; 0 keeps it forever. @default 0 */
  readonly blockToLive?: number;
  /** @default true */
  readonly memberOnlyRead?: boolean;
  /** @default true */
  readonly memberOnlyWrite?: boolean;
}

/** Props for `ExternalChaincode`. */
export interface ExternalChaincodeProps {
  /**
   * Chaincode name.
   * @default the construct id
   */
  readonly name?: string;
  /** The channel the chaincode is defined on. */
  readonly channel: Channel;
  /** Image of the chaincode server (it must serve the Fabric chaincode protocol on `CHAINCODE_SERVER_ADDRESS`). */
  readonly image: string;
  /**
   * Version label of the definition; change it together with the image.
   * @default '1.0'
   */
  readonly version?: string;
  /**
   * Definition sequence: 1 for the first definition, raised by one for every upgrade.
   * @default 1
   */
  readonly sequence?: number;
  /**
   * Organizations that run the chaincode, install it and approve its definition.
   * @default every member of the channel
   */
  readonly orgs?: PeerOrg[];
  /**
   * Endorsement policy.
   * @default the channel's Endorsement policy
   */
  readonly endorsementPolicy?: EndorsementPolicy;
  /**
   * Whether the first invocation must be an Init call.
   * @default false
   */
  readonly initRequired?: boolean;
  /**
   * Private data collections.
   * @default none
   */
  readonly collections?: PrivateDataCollection[];
  /**
   * Chaincode server pods per organization.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * CPU and memory of each chaincode server.
   * @default 50m/64Mi requested, 500m/256Mi limit
   */
  readonly resources?: ResourceSettings;
  /**
   * Extra environment of the chaincode server.
   * @default none
   */
  readonly env?: Record<string, string>;
  /**
   * Whether peers reach the chaincode server over TLS (server certificate from the org's TLS CA).
   * @default true
   */
  readonly tls?: boolean;
}

const CHAINCODE_PORTS = { chaincode: Ports.CHAINCODE_SERVER };

/** Where the chaincode server finds its TLS pair. */
const SERVER_TLS_DIR = '/var/hyperledger/chaincode/tls';
/** Where Jobs find the package and collection config. */
const PACKAGE_DIR = '/var/hyperledger/chaincode';

/**
 * A chaincode run as a service (CCaaS) on one channel. Per organization: a chaincode server
 * Deployment and Service, the CCaaS package built at synth time (so its package ID is known),
 * and a Job that installs it on every peer and approves the definition; then one Job commits it.
 * Raising `sequence` (with a new `version` and image) upgrades it on the next apply.
 */
export class ExternalChaincode extends Construct {
  public readonly name: string;
  public readonly channel: Channel;
  public readonly version: string;
  public readonly sequence: number;
  /** Package label, `<name>_<version>`. */
  public readonly label: string;
  public readonly orgs: PeerOrg[];
  /** Name of the Job that commits the definition. */
  public readonly commitJobName: string;
  private readonly packages = new Map<PeerOrg, CcaasPackage>();
  private readonly packageConfigMaps = new Map<PeerOrg, string>();
  private readonly chart: FabricChart;
  private readonly collectionsJson?: string;
  private readonly definitionEnv: Record<string, string>;

  public constructor(scope: Construct, id: string, props: ExternalChaincodeProps) {
    super(scope, id);
    const owner = `ExternalChaincode ${id}`;
    this.chart = FabricChart.of(this);
    this.name = props.name ?? id;
    validateChaincodeName(owner, this.name);
    this.channel = props.channel;
    this.chart.reserve(`chaincode on channel ${this.channel.name}`, this.name, this, 'Two chaincodes on one channel need different names; to upgrade one, raise its sequence instead.');
    this.version = props.version ?? '1.0';
    if (!/^[A-Za-z0-9][A-Za-z0-9_.+-]*$/.test(this.version)) {
      throw new Error(`${owner}: version "${this.version}" is not valid; use letters, digits, '.', '_', '+' or '-' (for example "1.0.2").`);
    }
    this.sequence = props.sequence ?? 1;
    validateCount(owner, 'sequence', this.sequence);
    validateCount(owner, 'replicas', props.replicas ?? 1);
    this.label = `${this.name}_${this.version}`;
    pinnedImage(owner, 'chaincode', props.image);
    this.orgs = this.validateOrgs(owner, props.orgs ?? this.channel.members);
    this.validateEndorsementPolicy(owner, props.endorsementPolicy);
    this.collectionsJson = props.collections ? this.renderCollections(owner, props.collections) : undefined;
    this.definitionEnv = {
      CHANNEL: this.channel.name,
      CC_NAME: this.name,
      CC_VERSION: this.version,
      CC_SEQUENCE: String(this.sequence),
      CC_INIT_REQUIRED: String(props.initRequired ?? false),
      CC_SIGNATURE_POLICY: props.endorsementPolicy?.signaturePolicy?.expression ?? '',
      CC_CHANNEL_CONFIG_POLICY: props.endorsementPolicy?.channelConfigPolicy ?? '',
      CC_COLLECTIONS_FILE: this.collectionsJson ? `${PACKAGE_DIR}/collections.json` : '',
    };
    for (const org of this.orgs) {
      this.addOrgServer(org, props);
    }
    this.commitJobName = this.addCommitJob();
  }

  /** The package ID `org`'s peers install: `label:sha256`, known at synth time. */
  public packageId(org: PeerOrg): string {
    const pkg = this.packages.get(org);
    if (!pkg) {
      throw new Error(`ExternalChaincode ${this.node.id}: ${org.mspId} does not run chaincode ${this.name}; it runs in ${this.orgs.map((o) => o.mspId).join(', ')}.`);
    }
    return pkg.packageId;
  }

  /** The CCaaS package of `org`, as installed on its peers. */
  public packageOf(org: PeerOrg): CcaasPackage {
    this.packageId(org);
    return this.packages.get(org) as CcaasPackage;
  }

  private validateOrgs(owner: string, orgs: PeerOrg[]): PeerOrg[] {
    if (orgs.length === 0) {
      throw new Error(`${owner}: orgs is empty; name at least one member of channel ${this.channel.name}.`);
    }
    const members = new Set(this.channel.members);
    for (const org of orgs) {
      if (!members.has(org)) {
        throw new Error(`${owner}: ${org.mspId} is not a member of channel ${this.channel.name} (members: ${this.channel.members.map((m) => m.mspId).join(', ')}). Add it to the channel's members or remove it from orgs.`);
      }
    }
    if (new Set(orgs).size !== orgs.length) {
      throw new Error(`${owner}: orgs lists an organization twice; list each once.`);
    }
    const needed = requiredApprovals(this.channel.policies.lifecycleEndorsement, this.channel.members.length);
    if (orgs.length < needed) {
      throw new Error(`${owner}: only ${orgs.length} of the ${this.channel.members.length} channel members approve it, but the channel's LifecycleEndorsement policy (${this.channel.policies.lifecycleEndorsement}) needs ${needed}; the commit could never succeed. Add organizations to orgs.`);
    }
    return [...orgs];
  }

  private validateEndorsementPolicy(owner: string, policy?: EndorsementPolicy): void {
    if (policy?.signaturePolicy) {
      this.requireMembers(owner, 'endorsement policy', policy.signaturePolicy);
    }
  }

  private requireMembers(owner: string, what: string, policy: SignaturePolicy): void {
    const members = this.channel.members.map((org) => org.mspId);
    const unknown = policy.mspIds.filter((mspId) => !members.includes(mspId));
    if (unknown.length > 0) {
      throw new Error(`${owner}: the ${what} names ${unknown.join(', ')}, which ${unknown.length === 1 ? 'is not a member' : 'are not members'} of channel ${this.channel.name} (members: ${members.join(', ')}).`);
    }
  }

  private renderCollections(owner: string, collections: PrivateDataCollection[]): string {
    const names = new Set<string>();
    const rendered = collections.map((collection) => {
      if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(collection.name) || names.has(collection.name)) {
        throw new Error(`${owner}: collection name "${collection.name}" is invalid or used twice; use distinct names of letters, digits, '_' and '-'.`);
      }
      names.add(collection.name);
      this.requireMembers(owner, `policy of collection ${collection.name}`, SignaturePolicy.parse(collection.policy));
      const requiredPeerCount = collection.requiredPeerCount ?? 0;
      const maxPeerCount = collection.maxPeerCount ?? 1;
      if (requiredPeerCount < 0 || maxPeerCount < requiredPeerCount) {
        throw new Error(`${owner}: collection ${collection.name} has requiredPeerCount ${requiredPeerCount} and maxPeerCount ${maxPeerCount}; need 0 <= requiredPeerCount <= maxPeerCount.`);
      }
      return {
        name: collection.name,
        policy: collection.policy,
        requiredPeerCount,
        maxPeerCount,
        blockToLive: collection.blockToLive ?? 0,
        memberOnlyRead: collection.memberOnlyRead ?? true,
        memberOnlyWrite: collection.memberOnlyWrite ?? true,
      };
    });
    return JSON.stringify(rendered, undefined, 2) + '\n';
  }

  private addOrgServer(org: PeerOrg, props: ExternalChaincodeProps): void {
    const serverName = chaincodeServerName(this.name, this.channel.kubernetesName, org.name);
    this.chart.reserve('Service name', serverName, this, 'Shorten the chaincode, channel or organization name so chaincode server names stay distinct.');
    const tls = props.tls ?? true;
    const pkg = buildCcaasPackage(this.label, {
      address: `${this.chart.fqdn(serverName)}:${Ports.CHAINCODE_SERVER}`,
      tlsRootCertPem: tls ? org.certificateAuthorities.tlsCaPem : undefined,
    });
    this.packages.set(org, pkg);
    const packageConfigMap = `${serverName}-package`;
    this.packageConfigMaps.set(org, packageConfigMap);
    new k8s.KubeConfigMap(this, `${org.name}-package`, {
      metadata: { name: packageConfigMap },
      binaryData: { 'package.tar.gz': pkg.bytes.toString('base64') },
      data: this.collectionsJson ? { 'collections.json': this.collectionsJson } : undefined,
    });
    const tlsSecret = tls ? this.addServerTlsSecret(org, serverName) : undefined;
    this.addServerWorkload(org, serverName, pkg.packageId, props, tlsSecret);
    this.addInstallJob(org, pkg.packageId, packageConfigMap);
  }

  private addServerTlsSecret(org: PeerOrg, serverName: string): string {
    const pair = this.chart.identities.tlsIdentity(org, serverName, this.chart.hosts(serverName));
    const secretName = `${serverName}-tls`;
    opaqueSecret(this, `${org.name}-tls`, secretName, { [IdentityKeys.TLS_CERT]: pair.certificatePem, [IdentityKeys.TLS_KEY]: pair.privateKeyPem });
    return secretName;
  }

  private addServerWorkload(org: PeerOrg, serverName: string, packageId: string, props: ExternalChaincodeProps, tlsSecret?: string): void {
    const labels = { 'app.kubernetes.io/name': 'fabric-chaincode', 'app.kubernetes.io/instance': serverName, 'app.kubernetes.io/part-of': org.name };
    addService(this, `${org.name}-service`, serverName, labels, CHAINCODE_PORTS);
    const env: Record<string, string> = {
      ...props.env,
      CHAINCODE_ID: packageId,
      CHAINCODE_SERVER_ADDRESS: `0.0.0.0:${Ports.CHAINCODE_SERVER}`,
      ...(tlsSecret ? { CHAINCODE_TLS_CERT_FILE: `${SERVER_TLS_DIR}/tls.crt`, CHAINCODE_TLS_KEY_FILE: `${SERVER_TLS_DIR}/tls.key` } : {}),
    };
    new k8s.KubeDeployment(this, `${org.name}-server`, {
      metadata: { name: serverName, labels },
      spec: {
        replicas: props.replicas ?? 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            ...podDefaults(),
            containers: [{
              name: 'chaincode',
              image: props.image,
              env: envList(env),
              ports: containerPorts(CHAINCODE_PORTS),
              volumeMounts: tlsSecret ? [{ name: 'tls', mountPath: SERVER_TLS_DIR, readOnly: true }] : [],
              resources: resourceRequirements(`ExternalChaincode ${this.node.id}`, props.resources ?? {}, DefaultResources.CHAINCODE),
              readinessProbe: { tcpSocket: { port: k8s.IntOrString.fromNumber(Ports.CHAINCODE_SERVER) }, periodSeconds: 10 },
              securityContext: containerSecurity(),
            }],
            volumes: tlsSecret ? [org.tlsVolume('tls', tlsSecret)] : [],
          },
        },
      },
    });
  }

  private addInstallJob(org: PeerOrg, packageId: string, packageConfigMap: string): void {
    const admin = org.adminAccess();
    const orderers = this.channel.ordererAccess();
    new FabricJob(this, `${org.name}-install-approve`, {
      baseName: `cc-${this.name}-${this.channel.kubernetesName}-${org.name}-approve`.toLowerCase().replace(/_/g, '-'),
      script: 'approve-chaincode.sh',
      env: {
        ...this.definitionEnv,
        CC_PACKAGE_ID: packageId,
        CC_PACKAGE_FILE: `${PACKAGE_DIR}/package.tar.gz`,
        PEERS: org.peers.map((peer) => peer.address).join(' '),
        ...orderers.env,
        ...admin.env,
      },
      volumes: [
        { volume: { name: 'package', configMap: { name: packageConfigMap } }, mountPath: PACKAGE_DIR },
        ...admin.volumes,
        ...orderers.volumes,
      ],
      fingerprint: [packageId, this.collectionsJson ?? ''],
    });
  }

  private addCommitJob(): string {
    const committer = this.orgs[0];
    const admin = committer.adminAccess();
    const orderers = this.channel.ordererAccess();
    const job = new FabricJob(this, 'commit', {
      baseName: `cc-${this.name}-${this.channel.kubernetesName}-commit`.toLowerCase().replace(/_/g, '-'),
      script: 'commit-chaincode.sh',
      env: {
        ...this.definitionEnv,
        PEERS: committer.peers[0].address,
        APPROVERS: this.orgs.map((org) => org.mspId).join(' '),
        ENDORSING_PEERS: this.orgs.map((org) => `${org.peers[0].address}=${tlsCaFile(org)}`).join(' '),
        ...orderers.env,
        ...admin.env,
      },
      volumes: [
        // The collection config is needed to name the definition; it travels with the package.
        ...(this.collectionsJson ? [{ volume: { name: 'package', configMap: { name: this.packageConfigMaps.get(committer) } }, mountPath: PACKAGE_DIR }] : []),
        ...admin.volumes,
        ...distinctMspAccess([...this.channel.orderers, ...this.orgs]),
      ],
      fingerprint: [this.collectionsJson ?? '', ...this.orgs.map((org) => this.packageId(org))],
    });
    return job.jobName;
  }
}

/** How many member approvals an implicit-meta rule over `members` organizations needs. */
function requiredApprovals(rule: ImplicitMetaRule, members: number): number {
  switch (rule) {
    case ImplicitMetaRule.ANY: return 1;
    case ImplicitMetaRule.ALL: return members;
    case ImplicitMetaRule.MAJORITY: return Math.floor(members / 2) + 1;
  }
}
