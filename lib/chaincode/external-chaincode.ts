import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { FabricChart } from '../core/fabric-chart';
import { Component, componentLabels, LabelKeys, RETIRED_BY_CHAINCODE_JOBS, selectorLabels } from '../core/labels';
import { chaincodeServerName, kubernetesName, pinnedImage, Ports, shortHash, validateChaincodeName, validateEnvName } from '../core/naming';
import {
  checkProps, describeValue, hasMembers, optionalArray, optionalBoolean, optionalInteger, optionalRecord, rejectUnknownProps, requireArray, requireInteger, requireString,
} from '../core/props';
import {
  addService, addSingleContainerDeployment, containerPorts, DefaultResources, envList, namedConfigMap, readinessTcpProbe,
  resourceRequirements, ResourceSettings,
} from '../core/workload';
import { FabricJob } from '../internal/fabric-job';
import { adminAccess, CCAAS_ROOT_CERT_FROM_BUILDER_CONFIG, publicMspAccess, tlsCaFile, tlsVolume } from '../org/msp';
import { IPeerOrg } from '../org/peer-org';
import { checkPeerOrg, IChannel, ordererAccess } from '../channel/channel';
import { channelPolicy, channelPolicyPaths, ChannelPolicyTree, implicitMetaThreshold, satisfiableByPeers } from '../channel/channel-policies';
import { EndorsementPolicy, ImplicitMetaRule, PolicyNode, SignaturePolicy } from '../channel/policy';
import { CcaasPackage } from './ccaas-package';
import { ChaincodeServerAccess } from './server-access';
import { ChaincodeDefinitionJson, CollectionConfigInput, DEFAULT_ENDORSEMENT_POLICY_REFERENCE, renderDefinition } from './chaincode-definition';

/** The env the library sets on every chaincode server: `env` may not set them. */
const SERVER_ENV_KEYS = ['CHAINCODE_ID', 'CHAINCODE_SERVER_ADDRESS', 'CHAINCODE_TLS_CERT_FILE', 'CHAINCODE_TLS_KEY_FILE'];
/** Fabric keeps a collection's peer counts in an int32. */
const INT32_MAX = 2 ** 31 - 1;

/** A private data collection of a chaincode. */
export interface PrivateDataCollection {
  /** Collection name: letters, digits, '_' and '-', not starting with '_'. */
  readonly name: string;
  /**
   * Signature policy naming the organizations that hold the data, an OR of members only (Fabric
   * refuses any other gate), for example `OR('Org1MSP.member','Org2MSP.member')`.
   */
  readonly policy: string;
  /**
   * Peers of the member organizations, other than the endorsing one, that must receive the data
   * before an endorsement: at most the member organizations' peers less one.
   * @default 0
   */
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

/** Options for `Channel.addChaincode`: every prop of `ExternalChaincode` but the channel. */
export interface ExternalChaincodeOptions {
  /**
   * Chaincode name.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * Image of the chaincode server (it must serve the Fabric chaincode protocol on `CHAINCODE_SERVER_ADDRESS`).
   * Give it, or `serverAddress`.
   * @default - none: the server runs at `serverAddress`
   */
  readonly image?: string;
  /**
   * `host:port` of a chaincode server that runs outside the cluster, for example on a developer's
   * machine under a debugger: the peers of every org in `orgs` dial it, and no Deployment or
   * Service is made. The server must listen there with `packageId(org)` as its CHAINCODE_ID
   * (`hyperkube chaincode-env` prints both), without TLS. Give it instead of `image`; switching
   * between the two re-approves the definition with the other package.
   * @default - none: each org runs a server from `image` in the cluster
   */
  readonly serverAddress?: string;
  /**
   * Version label of the definition; change it together with the image.
   * @default '1.0'
   */
  readonly version?: string;
  /**
   * Definition sequence. Leave it out and the Jobs number definitions themselves: they compare the
   * chart's definition (version, endorsement policy, collections, init flag) with the committed
   * one, and commit it as the next sequence when they differ. Set it to pin the number: the Jobs
   * then fail, saying so, when the channel has a newer sequence committed, or when the definition
   * changed but the sequence did not.
   * @default - the committed sequence when the definition is unchanged, else the next one (1 on a new channel)
   */
  readonly sequence?: number;
  /**
   * Organizations that run the chaincode, install it and approve its definition.
   * @default every member of the channel
   */
  readonly orgs?: IPeerOrg[];
  /**
   * Endorsement policy. The peers of `orgs` must be able to satisfy it.
   * @default the channel's Endorsement policy (/Channel/Application/Endorsement)
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
   * Chaincode server pods per organization; 0 stops the servers (endorsements then fail). Not with `serverAddress`.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * CPU and memory of each chaincode server. Not with `serverAddress`.
   * @default 50m/64Mi requested, 500m/256Mi limit
   */
  readonly resources?: ResourceSettings;
  /**
   * Extra environment of the chaincode server. The library sets CHAINCODE_ID,
   * CHAINCODE_SERVER_ADDRESS, CHAINCODE_TLS_CERT_FILE and CHAINCODE_TLS_KEY_FILE itself. Not with
   * `serverAddress`.
   * @default none
   */
  readonly env?: { [name: string]: string };
  /**
   * Whether peers reach the chaincode server over TLS (server certificate from the org's TLS CA).
   * A server at `serverAddress` is reached without TLS.
   * @default - true; false with `serverAddress`
   */
  readonly tls?: boolean;
}

/** Props for `ExternalChaincode`. */
export interface ExternalChaincodeProps extends ExternalChaincodeOptions {
  /** The channel the chaincode is defined on. */
  readonly channel: IChannel;
}

/** Every prop of `ExternalChaincode`, so that a misspelt one is refused (the compiler keeps the list whole). */
const EXTERNAL_CHAINCODE_PROPS: Record<keyof ExternalChaincodeProps, true> = {
  channel: true, name: true, image: true, serverAddress: true, version: true, sequence: true, orgs: true, endorsementPolicy: true, initRequired: true,
  collections: true, replicas: true, resources: true, env: true, tls: true,
};

const CHAINCODE_PORTS = { chaincode: Ports.CHAINCODE_SERVER };

/** Where the chaincode server finds its TLS pair. */
const SERVER_TLS_DIR = '/var/hyperledger/chaincode/tls';
/** Where Jobs find the package and collection config. */
const PACKAGE_DIR = '/var/hyperledger/chaincode';

/**
 * A chaincode run as a service (CCaaS) on one channel. Per organization: a `ChaincodeServer`
 * (Deployment, Service, TLS Secret), the CCaaS package built at synth time (so its package ID
 * is known), and a Job that installs it on every peer and approves the definition; then one Job
 * commits it. Change the version, image, policy or collections and re-apply: the Jobs commit the
 * changed definition as the next sequence, and re-approve an unchanged one with a new package.
 */
export class ExternalChaincode extends Construct {
  public readonly name: string;
  public readonly channel: IChannel;
  public readonly version: string;
  /** The sequence the chart pins, if it pins one. */
  public readonly sequence?: number;
  /** `host:port` of the server outside the cluster, when the chaincode runs there. */
  public readonly serverAddress?: string;
  /** Package label, `<name>_<version>`. */
  public readonly label: string;
  /**
   * The chaincode name made into a DNS label for Kubernetes object names: the name itself when it
   * is one, else lowercase with a short hash of the name (`My_CC` and `my-cc` stay apart).
   */
  public readonly kubernetesName: string;
  /**
   * The endorsement policy the chart gives; `undefined` when it gives none, and the chaincode
   * follows the channel's default (`/Channel/Application/Endorsement`).
   */
  public readonly endorsementPolicy?: EndorsementPolicy;
  private readonly _orgs: IPeerOrg[];
  private readonly _servers: ChaincodeServer[] = [];
  private readonly commitJob: FabricJob;
  private readonly chart: FabricChart;
  private readonly collectionsJson?: string;
  private readonly definitionEnv: Record<string, string>;
  private readonly definition: ChaincodeDefinitionJson;
  private readonly access: ChaincodeServerAccess;

  public constructor(scope: Construct, id: string, props: ExternalChaincodeProps) {
    super(scope, id);
    const owner = `ExternalChaincode ${id}`;
    checkProps(owner, props, ['channel']);
    if (new.target === ExternalChaincode) {
      rejectUnknownProps(owner, props, EXTERNAL_CHAINCODE_PROPS);
    }
    this.chart = FabricChart.find(this);
    this.access = ChaincodeServerAccess.of(this.chart);
    // Written before the Jobs, so no Job pod is refused for a service account not there yet.
    this.node.addDependency(this.access);
    this.name = validateChaincodeName(owner, props.name ?? id);
    this.kubernetesName = kubernetesName(this.name);
    this.channel = checkChannel(owner, props.channel, this.chart);
    this.chart._reserve(`chaincode on channel ${this.channel.name}`, this.name, this, 'Two chaincodes on one channel need different names; to upgrade one, change its version, image or policy instead.');
    this.version = requireString(owner, 'version', props.version ?? '1.0', '1.0.2');
    if (!/^[A-Za-z0-9_.+-]+$/.test(this.version)) {
      throw new Error(`${owner}: version "${this.version}" is not valid; use letters, digits, '.', '_', '+' or '-' (for example "1.0.2").`);
    }
    this.sequence = optionalInteger(owner, 'sequence', props.sequence, 1);
    optionalInteger(owner, 'replicas', props.replicas, 0);
    optionalBoolean(owner, 'initRequired', props.initRequired);
    optionalBoolean(owner, 'tls', props.tls);
    this.label = `${this.name}_${this.version}`;
    this.serverAddress = checkServerLocation(owner, props);
    checkServerEnv(owner, props.env, props.tls ?? true);
    this._orgs = this.validateOrgs(owner, props.orgs === undefined ? this.channel.members
      : requireArray(owner, 'orgs', props.orgs, (org, path) => checkPeerOrg(owner, path, org, this.chart)));
    const policy = checkEndorsementPolicy(owner, props.endorsementPolicy);
    this.validateEndorsementPolicy(owner, policy);
    this.endorsementPolicy = policy;
    const collectionList = optionalArray(owner, 'collections', props.collections, (collection, path) => optionalRecord(owner, path, collection) ?? {}) ?? [];
    const collections = collectionList.length > 0 ? this.validateCollections(owner, collectionList as unknown as PrivateDataCollection[]) : [];
    this.collectionsJson = collections.length > 0 ? JSON.stringify(collections, undefined, 2) + '\n' : undefined;
    this.definition = this.renderDefinition(props, collections);
    this.definitionEnv = {
      CHANNEL: this.channel.name,
      CC_NAME: this.name,
      CC_VERSION: this.version,
      ...(this.sequence !== undefined ? { CC_SEQUENCE: String(this.sequence) } : {}),
      CC_DEFINITION: JSON.stringify(this.definition),
      CC_INIT_REQUIRED: String(props.initRequired ?? false),
      CC_SIGNATURE_POLICY: policy?.signaturePolicy?.expression ?? '',
      CC_CHANNEL_CONFIG_POLICY: policy?.channelConfigPolicy ?? '',
      CC_COLLECTIONS_FILE: this.collectionsJson ? `${PACKAGE_DIR}/collections.json` : '',
    };
    for (const org of this._orgs) {
      const server = new ChaincodeServer(this, org.name, { ...props, org, chaincode: this });
      this._servers.push(server);
      this.addInstallJob(server);
    }
    this.commitJob = this.addCommitJob();
  }

  /** Organizations that run the chaincode (a copy). */
  public get orgs(): IPeerOrg[] {
    return [...this._orgs];
  }

  /** The chaincode server of each organization, in the order of `orgs` (a copy). */
  public get servers(): ChaincodeServer[] {
    return [...this._servers];
  }

  /** Name of the Job that commits the definition. */
  public get commitJobName(): string {
    return this.commitJob.jobName;
  }

  /** The package ID `org`'s peers install: `label:sha256`, known at synth time. */
  public packageId(org: IPeerOrg): string {
    return this.serverOf(org).package.packageId;
  }

  /** The CCaaS package of `org`, as installed on its peers. */
  public packageOf(org: IPeerOrg): CcaasPackage {
    return this.serverOf(org).package;
  }

  /** The chaincode server `org` runs. */
  public serverOf(org: IPeerOrg): ChaincodeServer {
    if (!hasMembers(org, 'mspId')) {
      throw new Error(`ExternalChaincode ${this.node.id}: the org asked for is ${describeValue(org)}, not an organization. Pass one of ${this._orgs.map((o) => o.node.id).join(', ')}.`);
    }
    const server = this._servers.find((candidate) => candidate.org.mspId === org.mspId);
    if (!server) {
      throw new Error(`ExternalChaincode ${this.node.id}: ${org.mspId} does not run chaincode ${this.name}; it runs in ${this._orgs.map((o) => o.mspId).join(', ')}.`);
    }
    return server;
  }

  /** @internal the labels of every server of this chaincode on its channel, whatever the revision. */
  public get _serverLabels(): Record<string, string> {
    return { [LabelKeys.CHAINCODE]: this.kubernetesName, [LabelKeys.CHANNEL]: this.channel.kubernetesName };
  }

  /** The label selector of every server of this chaincode on its channel. */
  private get serverSelector(): string {
    return Object.entries(this._serverLabels).map(([key, value]) => `${key}=${value}`).join(',');
  }

  /** @internal the collection config, as the Jobs and the server's package ConfigMap carry it. */
  public get _collectionsJson(): string | undefined {
    return this.collectionsJson;
  }

  private validateOrgs(owner: string, orgs: IPeerOrg[]): IPeerOrg[] {
    if (orgs.length === 0) {
      throw new Error(`${owner}: orgs is empty; name at least one member of channel ${this.channel.name}.`);
    }
    const members = this.channel.members.map((member) => member.mspId);
    for (const org of orgs) {
      if (!members.includes(org.mspId)) {
        throw new Error(`${owner}: ${org.mspId} is not a member of channel ${this.channel.name} (members: ${members.join(', ')}). Add it to the channel's members or remove it from orgs.`);
      }
    }
    if (new Set(orgs.map((org) => org.mspId)).size !== orgs.length) {
      throw new Error(`${owner}: orgs lists an organization twice; list each once.`);
    }
    const rule = this.channel.policies.lifecycleEndorsement ?? ImplicitMetaRule.MAJORITY;
    const needed = implicitMetaThreshold(rule, members.length);
    if (orgs.length < needed) {
      throw new Error(`${owner}: only ${orgs.length} of the ${members.length} channel members approve it, but the channel's LifecycleEndorsement policy (${rule}) needs ${needed}; the commit could never succeed. Add organizations to orgs.`);
    }
    return [...orgs];
  }

  /** Peers that can endorse, by MSP ID: those of the organizations that run the chaincode. */
  private endorsingPeers(): Map<string, number> {
    return new Map(this._orgs.map((org) => [org.mspId, org.peers.length]));
  }

  private describeEndorsers(): string {
    return this._orgs.map((org) => `${org.mspId} with ${org.peers.length} peer${org.peers.length === 1 ? '' : 's'}`).join(', ');
  }

  /**
   * Refuses a policy the channel lacks or the peers of `orgs` can never satisfy: a signature policy
   * naming non-members, roles that peers do not have, or more peers than the orgs run; a channel
   * config path the channel does not have; the channel's default rule over too few of its members.
   */
  private validateEndorsementPolicy(owner: string, policy?: EndorsementPolicy): void {
    const endorsers = this.describeEndorsers();
    if (policy?.signaturePolicy) {
      this.requireMembers(owner, 'endorsement policy', policy.signaturePolicy);
      if (!satisfiableByPeers({ signature: policy.signaturePolicy._root, expression: policy.signaturePolicy.expression }, this.endorsingPeers())) {
        throw new Error(`${owner}: the endorsement policy ${policy.signaturePolicy.expression} can never be satisfied: endorsements come only from the peers of the organizations that run the chaincode (${endorsers}), and a peer matches only the 'peer' and 'member' principals of its own MSP, one principal per peer. Add the organizations it names to orgs, or change the policy.`);
      }
      return;
    }
    const path = policy?.channelConfigPolicy ?? DEFAULT_ENDORSEMENT_POLICY_REFERENCE;
    const tree = channelPolicy(this.channel, path);
    if (!tree) {
      const paths = channelPolicyPaths(this.channel).filter((candidate) => candidate.startsWith('/Channel/Application/'));
      throw new Error(`${owner}: channel config policy "${path}" does not exist in channel ${this.channel.name}. Use one of its policies: ${paths.join(', ')}.`);
    }
    if (!satisfiableByPeers(tree, this.endorsingPeers())) {
      const what = policy ? `channel config policy ${path}` : `channel's default endorsement policy ${path}`;
      throw new Error(`${owner}: the ${what} (${describeTree(tree)}) can never be satisfied by the peers of the organizations that run the chaincode (${endorsers}). Add organizations to orgs, give an endorsementPolicy they can satisfy, or relax the channel's policies.`);
    }
  }

  private requireMembers(owner: string, what: string, policy: SignaturePolicy): void {
    const members = this.channel.members.map((org) => org.mspId);
    const unknown = policy.mspIds.filter((mspId) => !members.includes(mspId));
    if (unknown.length > 0) {
      throw new Error(`${owner}: the ${what} names ${unknown.join(', ')}, which ${unknown.length === 1 ? 'is not a member' : 'are not members'} of channel ${this.channel.name} (members: ${members.join(', ')}).`);
    }
  }

  /** @internal the chart's definition, in the shape the Jobs compare with the committed one. */
  public get _definition(): ChaincodeDefinitionJson {
    return this.definition;
  }

  /** The definition the Jobs compare, from policies already parsed. */
  private renderDefinition(props: ExternalChaincodeProps, collections: CollectionConfigInput[]): ChaincodeDefinitionJson {
    return renderDefinition({
      version: this.version,
      initRequired: props.initRequired ?? false,
      signaturePolicy: props.endorsementPolicy?.signaturePolicy?.expression,
      channelConfigPolicy: props.endorsementPolicy?.channelConfigPolicy,
      collections,
    });
  }

  private validateCollections(owner: string, collections: PrivateDataCollection[]): CollectionConfigInput[] {
    const names = new Set<string>();
    return collections.map((collection, index) => {
      const name = requireString(owner, `collections[${index}].name`, collection.name, 'privateTerms');
      if (!/^[A-Za-z0-9-][A-Za-z0-9_-]*$/.test(name)) {
        throw new Error(`${owner}: collection name "${name}" is not valid. Use letters, digits, '_' and '-', not starting with '_' (for example "privateTerms").`);
      }
      if (names.has(name)) {
        throw new Error(`${owner}: collection name "${name}" is used twice. Give each collection its own name.`);
      }
      names.add(name);
      const what = `collection ${name}`;
      const policy = parseCollectionPolicy(owner, collection);
      this.requireMembers(owner, `policy of ${what}`, policy);
      const gate = firstNonOrGate(policy._root);
      if (gate) {
        throw new Error(`${owner}: ${what} has the member policy ${policy.expression}, which requires ${gate.n} of ${gate.operands.length} in one gate; Fabric accepts only an OR of members for a collection. Write it like OR('Org1MSP.member','Org2MSP.member').`);
      }
      const requiredPeerCount = requireInteger(owner, `${what} requiredPeerCount`, collection.requiredPeerCount ?? 0, 0, INT32_MAX);
      const maxPeerCount = requireInteger(owner, `${what} maxPeerCount`, collection.maxPeerCount ?? 1, 0, INT32_MAX);
      const blockToLive = requireInteger(owner, `${what} blockToLive`, collection.blockToLive ?? 0, 0);
      if (maxPeerCount < requiredPeerCount) {
        throw new Error(`${owner}: ${what} has requiredPeerCount ${requiredPeerCount} and maxPeerCount ${maxPeerCount}; need 0 <= requiredPeerCount <= maxPeerCount.`);
      }
      const memberOrgs = this.channel.members.filter((org) => policy.mspIds.includes(org.mspId));
      const memberPeers = memberOrgs.reduce((sum, org) => sum + org.peers.length, 0);
      const endorsersAreMembers = this._orgs.every((org) => policy.mspIds.includes(org.mspId));
      const reachable = endorsersAreMembers ? memberPeers - 1 : memberPeers;
      if (requiredPeerCount > reachable) {
        throw new Error(`${owner}: ${what} has requiredPeerCount ${requiredPeerCount}, but its member organizations (${memberOrgs.map((org) => org.mspId).join(', ')}) run ${memberPeers} peer${memberPeers === 1 ? '' : 's'}, so an endorsing peer can hand the data to at most ${reachable} other${reachable === 1 ? '' : 's'} and every endorsement would fail. Lower requiredPeerCount to at most ${reachable}, or add peers.`);
      }
      return {
        name,
        policy: policy.expression,
        requiredPeerCount,
        maxPeerCount,
        blockToLive,
        memberOnlyRead: optionalBoolean(owner, `${what} memberOnlyRead`, collection.memberOnlyRead) ?? true,
        memberOnlyWrite: optionalBoolean(owner, `${what} memberOnlyWrite`, collection.memberOnlyWrite) ?? true,
      };
    });
  }

  private addInstallJob(server: ChaincodeServer): void {
    const org = server.org;
    const admin = adminAccess(org);
    const orderers = ordererAccess(this.channel);
    const packageId = server.package.packageId;
    new FabricJob(this, `${org.name}-install-approve`, {
      baseName: `cc-${this.kubernetesName}-${this.channel.kubernetesName}-${org.name}-approve`,
      script: 'approve-chaincode.sh',
      component: Component.CHAINCODE,
      organization: org.name,
      env: {
        ...this.definitionEnv,
        CC_PACKAGE_ID: packageId,
        CC_PACKAGE_FILE: `${PACKAGE_DIR}/package.tar.gz`,
        CC_SERVER: server.name,
        CC_SERVER_REPLICAS: String(server.replicas),
        CC_RETIRE_SELECTOR: `${this.serverSelector},${LabelKeys.ORGANIZATION}=${org.name}`,
        PEERS: org.peers.map((peer) => peer.address).join(' '),
        ...orderers.env,
        ...admin.env,
      },
      volumes: [
        { volume: { name: 'package', configMap: { name: server.packageConfigMapName } }, mountPath: PACKAGE_DIR },
        ...admin.volumes,
        ...orderers.volumes,
      ],
      inputs: [packageId, this.collectionsJson ?? ''],
      serviceAccountName: this.access.serviceAccountName,
      labels: this._serverLabels,
    });
  }

  private addCommitJob(): FabricJob {
    const committer = this._servers[0];
    const admin = adminAccess(committer.org);
    const orderers = ordererAccess(this.channel);
    return new FabricJob(this, 'commit', {
      baseName: `cc-${this.kubernetesName}-${this.channel.kubernetesName}-commit`,
      script: 'commit-chaincode.sh',
      component: Component.CHAINCODE,
      env: {
        ...this.definitionEnv,
        PEERS: committer.org.peers[0].address,
        APPROVERS: this._orgs.map((org) => org.mspId).join(' '),
        // The servers of organizations that no longer run the chaincode, retired once it is committed.
        CC_RETIRE_SELECTOR: `${this.serverSelector},${LabelKeys.ORGANIZATION} notin (${this._orgs.map((org) => org.name).join(',')})`,
        ENDORSING_PEERS: this._orgs.map((org) => `${org.peers[0].address}=${tlsCaFile(org)}`).join(' '),
        // Every peer can serve a gateway, so the Job ends once each can plan an endorsement.
        DISCOVERY_PEERS: this._orgs.flatMap((org) => org.peers.map((peer) => `${peer.address}=${tlsCaFile(org)}`)).join(' '),
        ...orderers.env,
        ...admin.env,
      },
      volumes: [
        // The collection config is needed to name the definition; it travels with the package.
        ...(this.collectionsJson ? [{ volume: { name: 'package', configMap: { name: committer.packageConfigMapName } }, mountPath: PACKAGE_DIR }] : []),
        ...admin.volumes,
        ...publicMspAccess([...this.channel.orderers, ...this._orgs]),
      ],
      inputs: [this.collectionsJson ?? '', ...this._servers.map((server) => server.package.packageId)],
      serviceAccountName: this.access.serviceAccountName,
      labels: this._serverLabels,
    });
  }
}

/** Props for `ChaincodeServer`. */
export interface ChaincodeServerProps {
  /** The chaincode it serves. */
  readonly chaincode: ExternalChaincode;
  /** The organization that runs it. */
  readonly org: IPeerOrg;
  /** Image of the server; give it or `serverAddress`. */
  readonly image?: string;
  /** `host:port` of the server when it runs outside the cluster; give it or `image`. */
  readonly serverAddress?: string;
  /** @default 1 */
  readonly replicas?: number;
  /** @default 50m/64Mi requested, 500m/256Mi limit */
  readonly resources?: ResourceSettings;
  /** @default none */
  readonly env?: { [name: string]: string };
  /** @default true */
  readonly tls?: boolean;
}

/**
 * The chaincode server one organization runs for an `ExternalChaincode`: a Deployment, its
 * Service, its TLS Secret and the ConfigMap with the CCaaS package that points its peers at it.
 * The Deployment is the default child, so `ApiObject.of(server)` is the escape hatch. A server at
 * a `serverAddress` outside the cluster is only the package, its ConfigMap the default child.
 */
export class ChaincodeServer extends Construct {
  /** Service (and Deployment) name. */
  public readonly name: string;
  /** The organization that runs it. */
  public readonly org: IPeerOrg;
  /** The CCaaS package the organization's peers install. */
  public readonly package: CcaasPackage;
  /** Name of the ConfigMap holding the package (and the collection config, if any). */
  public readonly packageConfigMapName: string;
  /** Server pods in the cluster: none for a server outside it. */
  public readonly replicas: number;
  /** `host:port` the peers dial, in the cluster or outside it. */
  public readonly address: string;
  private readonly chart: FabricChart;

  public constructor(scope: Construct, id: string, props: ChaincodeServerProps) {
    super(scope, id);
    this.chart = FabricChart.find(this);
    const chaincode = props.chaincode;
    this.org = props.org;
    // What the server runs names it: an upgrade starts a new server beside the old one, which keeps
    // serving the committed definition until the Jobs have moved the peers off its package.
    const revision = shortHash(`${chaincode.label}\u0000${props.serverAddress ?? props.image}`, 6);
    this.name = chaincodeServerName(chaincode.kubernetesName, chaincode.channel.kubernetesName, this.org.name, revision);
    this.replicas = props.serverAddress ? 0 : props.replicas ?? 1;
    this.address = props.serverAddress ?? `${this.chart.fqdn(this.name)}:${Ports.CHAINCODE_SERVER}`;
    this.chart._reserve('Service name', this.name, this, 'Shorten the chaincode, channel or organization name so chaincode server names stay distinct.');
    const tls = props.tls ?? !props.serverAddress;
    this.package = CcaasPackage.build(chaincode.label, {
      address: this.address,
      // A TLS CA known only in the cluster stays out of the package, so its ID is known at synth
      // time: the peer's builder fills the field from CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG.
      tlsRootCertPem: tls ? this.org.certificateAuthorities?.tlsCaPem ?? CCAAS_ROOT_CERT_FROM_BUILDER_CONFIG : undefined,
    });
    const labels = { ...componentLabels(Component.CHAINCODE, this.org.name), ...chaincode._serverLabels };
    this.packageConfigMapName = `${this.name}-package`;
    const packageConfigMap = namedConfigMap(this, 'package', {
      metadata: { name: this.packageConfigMapName, labels },
      binaryData: { 'package.tar.gz': this.package.base64 },
    });
    const collections = chaincode._collectionsJson;
    if (collections) {
      packageConfigMap.addData('collections.json', collections);
    }
    if (props.serverAddress) {
      this.node.defaultChild = packageConfigMap;
      return;
    }
    const tlsSecret = tls ? this.addTlsSecret(labels) : undefined;
    const selector = selectorLabels('fabric-chaincode', this.name);
    // The Jobs find a chaincode's servers by these labels, and tell the current one by its instance.
    const retiredLabels = { ...labels, ...selector, [LabelKeys.RETIRED_BY]: RETIRED_BY_CHAINCODE_JOBS };
    addService(this, 'service', { name: this.name, labels: retiredLabels, selector, ports: CHAINCODE_PORTS });
    const image = pinnedImage(`ExternalChaincode ${chaincode.node.id}`, 'image', props.image);
    this.node.defaultChild = this.addDeployment(props, image, retiredLabels, selector, tlsSecret);
  }

  private addTlsSecret(labels: Record<string, string>): string {
    const secretName = `${this.name}-tls`;
    this.chart.identities.identity(this, {
      org: this.org, secretName, name: this.name, tlsHosts: this.chart.hosts(this.name), labels, restarts: `deployment/${this.name}`,
    });
    return secretName;
  }

  private addDeployment(props: ChaincodeServerProps, image: string, labels: Record<string, string>, selector: Record<string, string>, tlsSecret?: string): k8s.KubeDeployment {
    const env: Record<string, string> = {
      ...props.env,
      CHAINCODE_ID: this.package.packageId,
      CHAINCODE_SERVER_ADDRESS: `0.0.0.0:${Ports.CHAINCODE_SERVER}`,
      ...(tlsSecret ? { CHAINCODE_TLS_CERT_FILE: `${SERVER_TLS_DIR}/tls.crt`, CHAINCODE_TLS_KEY_FILE: `${SERVER_TLS_DIR}/tls.key` } : {}),
    };
    return addSingleContainerDeployment(this, {
      name: this.name,
      labels,
      selector,
      replicas: this.replicas,
      container: {
        name: 'chaincode',
        image,
        env: envList(env),
        ports: containerPorts(CHAINCODE_PORTS),
        // Without TLS, no list at all: the API drops an empty one, and every apply would report a change.
        volumeMounts: tlsSecret ? [{ name: 'tls', mountPath: SERVER_TLS_DIR, readOnly: true }] : undefined,
        resources: resourceRequirements(`ExternalChaincode ${props.chaincode.node.id}`, props.resources, DefaultResources.CHAINCODE),
        readinessProbe: readinessTcpProbe(Ports.CHAINCODE_SERVER),
      },
      volumes: tlsSecret ? [tlsVolume(this.org, 'tls', tlsSecret)] : undefined,
    });
  }
}

/** The member policy of `collection`, parsed; a policy Fabric would refuse names the construct. */
function parseCollectionPolicy(owner: string, collection: PrivateDataCollection): SignaturePolicy {
  try {
    return SignaturePolicy.parse(collection.policy);
  } catch (error) {
    throw new Error(`${owner}: collection ${collection.name}: ${(error as Error).message}`);
  }
}

/** `value`, given as the channel of `owner`, as a channel of `chart`. */
function checkChannel(owner: string, value: unknown, chart: FabricChart): IChannel {
  if (!hasMembers(value, 'node', 'name', 'kubernetesName', 'policies') || !Array.isArray((value as IChannel).members) || !Array.isArray((value as IChannel).orderers)) {
    throw new Error(`${owner}: channel is ${describeValue(value)}, not a channel. Pass a Channel construct, or use channel.addChaincode(id, options).`);
  }
  chart._requireSameChart(owner, 'channel', value as IChannel);
  return value as IChannel;
}

/** `value`, when given, as an EndorsementPolicy. */
function checkEndorsementPolicy(owner: string, value: unknown): EndorsementPolicy | undefined {
  if (value === undefined) {
    return undefined;
  }
  const policy = value as Partial<EndorsementPolicy>;
  if (typeof value !== 'object' || value === null || (!policy.signaturePolicy && typeof policy.channelConfigPolicy !== 'string')) {
    const hint = typeof value === 'string' ? ` Wrap the expression: EndorsementPolicy.signature(${JSON.stringify(value)}).` : '';
    throw new Error(`${owner}: endorsementPolicy must be an EndorsementPolicy, got ${describeValue(value)}.${hint} Make one with EndorsementPolicy.signature(...) or EndorsementPolicy.channelConfig(...).`);
  }
  return value as EndorsementPolicy;
}

/**
 * Where the servers run: from `image` in the cluster, or at `serverAddress` outside it. Returns the
 * address, if given; refuses both or neither, and the props that only a server in the cluster has.
 */
function checkServerLocation(owner: string, props: ExternalChaincodeProps): string | undefined {
  if (props.serverAddress === undefined) {
    if (props.image === undefined) {
      throw new Error(`${owner}: give image (the chaincode server's image, run in the cluster), or serverAddress ("host:port" of a server you run outside it, for example while developing).`);
    }
    pinnedImage(owner, 'image', props.image);
    return undefined;
  }
  const address = checkServerAddress(owner, props.serverAddress);
  const inCluster = (['image', 'replicas', 'resources', 'env'] as const).filter((prop) => props[prop] !== undefined);
  if (inCluster.length > 0) {
    throw new Error(`${owner}: serverAddress ${address} puts the chaincode server outside the cluster, so ${inCluster.join(', ')} would be unused. Remove ${inCluster.join(', ')}, or remove serverAddress to run the server in the cluster.`);
  }
  if (props.tls === true) {
    throw new Error(`${owner}: tls is true, but the peers reach a server at serverAddress ${address} without TLS (no certificate is issued for it). Remove tls, or remove serverAddress to run the server in the cluster with TLS.`);
  }
  return address;
}

/** `value` as the `host:port` a peer can dial: a DNS name or IPv4 address, and a port. */
function checkServerAddress(owner: string, value: unknown): string {
  const address = requireString(owner, 'serverAddress', value, '10.0.0.5:9999');
  const match = /^([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})$/.exec(address);
  const port = match ? Number(match[3]) : 0;
  if (!match || port < 1 || port > 65535) {
    throw new Error(`${owner}: serverAddress ${describeValue(address)} is not host:port. Give the host name or IPv4 address the peers' pods can reach and the port the server listens on, for example "10.0.0.5:9999" or "devbox.example.com:9999".`);
  }
  return address;
}

/** Refuses env names Kubernetes refuses, values that are not strings, and the keys the library sets. */
function checkServerEnv(owner: string, value: unknown, tls: boolean): void {
  const env = optionalRecord(owner, 'env', value) ?? {};
  for (const [name, text] of Object.entries(env)) {
    validateEnvName(owner, 'env name', name);
    requireString(owner, `env.${name}`, text, 'value');
    if (SERVER_ENV_KEYS.includes(name)) {
      const set = tls ? SERVER_ENV_KEYS : SERVER_ENV_KEYS.slice(0, 2);
      throw new Error(`${owner}: env sets ${name}, which Hyperkube sets itself on every chaincode server (${set.join(', ')}${tls ? '' : '; the TLS pair only with tls'}); the peers' package points at the values it sets. Remove ${name} from env${name.startsWith('CHAINCODE_TLS') ? ', and use the tls prop to turn TLS on or off' : ''}.`);
    }
  }
}

/** The first gate of `node` that needs more than one operand, if any: collection policies are ORs only. */
function firstNonOrGate(node: PolicyNode): { n: number; operands: PolicyNode[] } | undefined {
  if ('principal' in node) {
    return undefined;
  }
  if (node.gate.n !== 1) {
    return node.gate;
  }
  for (const operand of node.gate.operands) {
    const found = firstNonOrGate(operand);
    if (found) {
      return found;
    }
  }
  return undefined;
}

/** A policy tree in words, for messages. */
function describeTree(tree: ChannelPolicyTree): string {
  if ('signature' in tree) {
    return tree.expression;
  }
  const { rule, subPolicies } = tree.implicitMeta;
  return `${rule} of ${subPolicies.length} member${subPolicies.length === 1 ? '' : 's'}' policies, so ${implicitMetaThreshold(rule, subPolicies.length)} of them`;
}
