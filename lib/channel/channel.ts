import { Duration, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { FabricChart } from '../core/fabric-chart';
import { checkByteSize } from '../core/fabric-values';
import { Component, componentLabels, LabelKeys } from '../core/labels';
import { kubernetesName, validateChannelName } from '../core/naming';
import { checkProps, describeValue, hasMembers, optionalInteger, optionalRecord, rejectUnknownProps, requireArray, requireEnum } from '../core/props';
import { namedConfigMap, projectedVolume } from '../core/workload';
import { FabricJob, JobVolume } from '../internal/fabric-job';
import { adminAccess, IdentityKeys, localMspVolume, publicMspAccess, publicMspDir, tlsCaFile, tlsVolume } from '../org/msp';
import { IOrderer, IOrdererNode } from '../org/orderer';
import { IOrganization } from '../org/organization';
import { IPeerOrg } from '../org/peer-org';
import { ExternalChaincode, ExternalChaincodeOptions } from '../chaincode/external-chaincode';
import { ChaincodeServerAccess } from '../chaincode/server-access';
import { CONFIGTX_PROFILE, renderConfigtx } from './configtx';
import { ImplicitMetaRule } from './policy';

/** Who decides what on the channel. */
export interface ChannelPolicies {
  /**
   * Rule over the member organizations' admins for channel config changes.
   * @default ImplicitMetaRule.MAJORITY
   */
  readonly admins?: ImplicitMetaRule;
  /**
   * Rule over the member organizations for approving chaincode definitions.
   * @default ImplicitMetaRule.MAJORITY
   */
  readonly lifecycleEndorsement?: ImplicitMetaRule;
  /**
   * Default endorsement rule of chaincodes that name no policy of their own.
   * @default ImplicitMetaRule.MAJORITY
   */
  readonly endorsement?: ImplicitMetaRule;
}

/**
 * How the ordering service cuts blocks. Sizes are written as configtxgen reads them: a whole
 * number, optionally followed by KB, MB or GB (any case, space and B optional), powers of 1024.
 */
export interface BatchSize {
  /** @default 10 */
  readonly maxMessageCount?: number;
  /** @default '99 MB' */
  readonly absoluteMaxBytes?: string;
  /** @default '512 KB' */
  readonly preferredMaxBytes?: string;
}

/** A channel, as chaincodes see it. */
export interface IChannel extends IConstruct {
  /** Channel name. */
  readonly name: string;
  /**
   * The channel name made into a DNS label for Kubernetes object names: the name itself when it is
   * one, else lowercase with a short hash of the name (channel names may contain dots and be long).
   */
  readonly kubernetesName: string;
  /** Ordering organizations whose nodes are the channel's consenters. */
  readonly orderers: IOrderer[];
  /** Peer organizations that are members. */
  readonly members: IPeerOrg[];
  /** The channel's policies, defaults filled in. */
  readonly policies: ChannelPolicies;
}

/** Every prop of `Channel`, so that a misspelt one is refused (the compiler keeps the list whole). */
const CHANNEL_PROPS: Record<keyof ChannelProps, true> = {
  name: true, orderers: true, members: true, policies: true, batchTimeout: true, batchSize: true,
};

/** Props for `Channel`. */
export interface ChannelProps {
  /**
   * Channel name.
   * @default the construct id
   */
  readonly name?: string;
  /** Ordering organizations whose nodes are the channel's Raft consenters. */
  readonly orderers: IOrderer[];
  /** Peer organizations that are members of the channel; each joins all its peers. */
  readonly members: IPeerOrg[];
  /**
   * Channel policies.
   * @default majority of admins for config and lifecycle, majority of members for endorsement
   */
  readonly policies?: ChannelPolicies;
  /**
   * How long the orderer waits before cutting a block that is not full; any positive duration.
   * @default Duration.seconds(2)
   */
  readonly batchTimeout?: Duration;
  /**
   * Block size limits.
   * @default 10 messages, 99 MB absolute, 512 KB preferred
   */
  readonly batchSize?: BatchSize;
}

/** Where a channel's create Job sees its config. */
const CHANNEL_CONFIG_DIR = '/var/hyperledger/channel';

/**
 * An application channel: its config rendered from the model; a Job that creates the channel on
 * every consenter through the channel participation API or, when it exists, updates its config
 * to the model (members, anchor peers, policies, batch settings, consenters) with the signatures
 * of the chart's admins; and a Job per member organization that joins its peers.
 */
export class Channel extends Construct implements IChannel {
  public readonly name: string;
  public readonly kubernetesName: string;
  public readonly policies: ChannelPolicies;
  /** The configtx.yaml the create Job hands to configtxgen. */
  public readonly configtx: string;
  private readonly _orderers: IOrderer[];
  private readonly _members: IPeerOrg[];
  private readonly reconcileJob: FabricJob;
  private readonly joinJobs = new Map<string, FabricJob>();

  public constructor(scope: Construct, id: string, props: ChannelProps) {
    super(scope, id);
    const owner = `Channel ${id}`;
    checkProps(owner, props, ['orderers', 'members']);
    if (new.target === Channel) {
      rejectUnknownProps(owner, props, CHANNEL_PROPS);
    }
    this.name = validateChannelName(owner, props.name ?? id);
    this.kubernetesName = kubernetesName(this.name);
    const chart = FabricChart.find(this);
    this._orderers = requireDistinct(owner, 'orderers', requireArray(owner, 'orderers', props.orderers, (org, path) => checkOrderer(owner, path, org, chart)),
      'ordering organization (Orderer) to provide the consenters');
    this._members = requireDistinct(owner, 'members', requireArray(owner, 'members', props.members, (org, path) => checkPeerOrg(owner, path, org, chart)),
      'peer organization (PeerOrg)');
    chart._reserve('channel name', this.name, this, 'Give each Channel a distinct name.');
    const policies = (optionalRecord(owner, 'policies', props.policies) ?? {}) as ChannelPolicies;
    const rule = (prop: keyof ChannelPolicies) => requireEnum(owner, `policies.${prop}`, policies[prop] ?? ImplicitMetaRule.MAJORITY, ImplicitMetaRule, 'ImplicitMetaRule');
    this.policies = {
      admins: rule('admins'),
      lifecycleEndorsement: rule('lifecycleEndorsement'),
      endorsement: rule('endorsement'),
    };
    const batch = validateBatch(owner, props);
    this.configtx = renderConfigtx({
      ordererOrgs: this._orderers.map((org) => ({ mspId: org.mspId, mspDir: publicMspDir(org), endpoints: org.nodes.map((node) => node.address) })),
      peerOrgs: this._members.map((org) => ({ mspId: org.mspId, mspDir: publicMspDir(org), anchorPeerHosts: org.anchorPeers.map((peer) => peer.host) })),
      consenters: this.consenters().map((node) => ({ host: node.host, tlsCertFile: `${CHANNEL_CONFIG_DIR}/${consenterCertKey(node.name)}` })),
      policies: this.policies as Required<ChannelPolicies>,
      ...batch,
    });
    const configMapName = `${this.kubernetesName}-channel-config`;
    namedConfigMap(this, 'config', {
      metadata: { name: configMapName, labels: componentLabels(Component.CHANNEL) },
      data: { 'configtx.yaml': this.configtx },
    });
    this.reconcileJob = this.addReconcileJob(configMapName);
    for (const org of this._members) {
      this.joinJobs.set(org.name, this.addJoinJob(org));
    }
  }

  /** Ordering organizations whose nodes are the channel's consenters (a copy). */
  public get orderers(): IOrderer[] {
    return [...this._orderers];
  }

  /** Peer organizations that are members (a copy). */
  public get members(): IPeerOrg[] {
    return [...this._members];
  }

  /** Name of the Job that creates the channel, or updates its config to the model. */
  public get reconcileJobName(): string {
    return this.reconcileJob.jobName;
  }

  /** Name of the Job that joins `org`'s peers to the channel. */
  public joinJobName(org: IPeerOrg): string {
    if (!hasMembers(org, 'mspId', 'name')) {
      throw new Error(`Channel ${this.node.id}: the org asked for is ${describeValue(org)}, not an organization. Pass one of the channel's members.`);
    }
    const job = this.joinJobs.get(org.name);
    if (!job) {
      throw new Error(`Channel ${this.node.id}: ${org.mspId} is not a member of channel ${this.name}.`);
    }
    return job.jobName;
  }

  /** Defines chaincode `id` on this channel, run as a service by its organizations. */
  public addChaincode(id: string, options: ExternalChaincodeOptions): ExternalChaincode {
    return new ExternalChaincode(this, id, { ...options, channel: this });
  }

  private consenters(): IOrdererNode[] {
    return this._orderers.flatMap((org) => org.nodes);
  }

  private addReconcileJob(configMapName: string): FabricJob {
    const adminTlsDir = (org: IOrderer) => `/var/hyperledger/orderer-admins/${org.name}`;
    const [actingOrg, ...otherOrderers] = this._orderers;
    const actingAdmin = adminAccess(actingOrg);
    const signers = [...otherOrderers, ...this._members];
    const orderers = ordererAccess(this);
    const chart = FabricChart.find(this);
    const access = ChaincodeServerAccess.of(chart);
    // Written before the Job, so its pod is not refused for a service account not there yet.
    this.node.addDependency(access);
    return new FabricJob(this, 'reconcile', {
      baseName: `${this.kubernetesName}-reconcile`,
      script: 'reconcile-channel.sh',
      component: Component.CHANNEL,
      env: {
        CHANNEL: this.name,
        CONFIGTX_DIR: CHANNEL_CONFIG_DIR,
        PROFILE: CONFIGTX_PROFILE,
        CONSENTERS: this._orderers.flatMap((org) => org.nodes.map((node) => `${node.adminAddress}=${adminTlsDir(org)}`)).join(' '),
        SIGNERS: signers.map((org) => `${org.mspId}=${signerMspDir(org)}`).join(' '),
        // Chaincodes are defined after the channel: the selector is read when the chart is written.
        RETIRE_SELECTOR: Lazy.any({ produce: () => this.removedChaincodeServers() }),
        ...orderers.env,
        ...actingAdmin.env,
      },
      volumes: [
        { volume: this.channelConfigVolume(configMapName), mountPath: CHANNEL_CONFIG_DIR },
        ...actingAdmin.volumes,
        ...signers.map((org) => ({ volume: localMspVolume(org, `signer-${org.name}`, org.adminSecretName), mountPath: signerMspDir(org) })),
        ...publicMspAccess([...this._orderers, ...this._members]),
        ...this._orderers.map((org) => ({ volume: tlsVolume(org, `admin-tls-${org.name}`, org.adminSecretName), mountPath: adminTlsDir(org) })),
      ],
      inputs: [this.configtx, ...this.consenters().map((node) => node.tlsCertificatePem ?? node.identitySecretName)],
      serviceAccountName: access.serviceAccountName,
    });
  }

  /**
   * The label selector of the chaincode servers on this channel whose chaincode the chart no
   * longer defines: the reconcile Job deletes them, since pruning leaves servers to the Jobs.
   */
  private removedChaincodeServers(): string {
    const kept = FabricChart.find(this).node.findAll()
      .filter((construct): construct is ExternalChaincode => construct instanceof ExternalChaincode && construct.channel === this)
      .map((chaincode) => chaincode.kubernetesName);
    const onChannel = `${LabelKeys.CHANNEL}=${this.kubernetesName}`;
    return kept.length === 0 ? onChannel : `${onChannel},${LabelKeys.CHAINCODE} notin (${kept.join(',')})`;
  }

  /**
   * configtx.yaml beside each consenter's TLS certificate, read from the node's identity Secret
   * (only that public key of it), so the channel config takes what the node serves in every mode.
   */
  private channelConfigVolume(configMapName: string): k8s.Volume {
    return projectedVolume('channel-config', [
      { source: 'configMap', name: configMapName, key: 'configtx.yaml', path: 'configtx.yaml' },
      ...this.consenters().map((node) => ({ source: 'secret' as const, name: node.identitySecretName, key: IdentityKeys.TLS_CERT, path: consenterCertKey(node.name) })),
    ]);
  }

  private addJoinJob(org: IPeerOrg): FabricJob {
    const admin = adminAccess(org);
    const orderers = ordererAccess(this);
    return new FabricJob(this, `join-${org.name}`, {
      baseName: `${this.kubernetesName}-join-${org.name}`,
      script: 'join-channel.sh',
      component: Component.CHANNEL,
      organization: org.name,
      env: {
        CHANNEL: this.name,
        PEERS: org.peers.map((peer) => peer.address).join(' '),
        ...orderers.env,
        ...admin.env,
      },
      volumes: [...admin.volumes, ...orderers.volumes],
      inputs: [org, ...this._orderers].map((each) => each.certificateAuthorities?.tlsCaPem ?? each.mspConfigMapName),
    });
  }
}

/** Env and mounts that let a Job reach `channel`'s orderers: `ORDERERS="host:port=tlsCaFile ..."`. */
export function ordererAccess(channel: IChannel): { env: Record<string, string>; volumes: JobVolume[] } {
  return {
    env: { ORDERERS: channel.orderers.flatMap((org) => org.nodes.map((node) => `${node.address}=${tlsCaFile(org)}`)).join(' ') },
    volumes: publicMspAccess(channel.orderers),
  };
}

/** Where the reconcile Job finds the admin MSP of an organization that signs config updates. */
function signerMspDir(org: IOrganization): string {
  return `/var/hyperledger/signers/${org.name}/msp`;
}

function consenterCertKey(nodeName: string): string {
  return `consenter-${nodeName}.pem`;
}

/** `value`, given as `path` of `owner`, as an ordering organization of `chart`. */
function checkOrderer(owner: string, path: string, value: unknown, chart: FabricChart): IOrderer {
  if (!hasMembers(value, 'node', 'mspId', 'name') || !Array.isArray((value as IOrderer).nodes)) {
    const peerOrg = hasMembers(value, 'peers') ? ' It is a peer organization: list it in members.' : '';
    throw new Error(`${owner}: ${path} is ${describeValue(value)}, not an ordering organization.${peerOrg} List Orderer constructs in orderers.`);
  }
  chart._requireSameChart(owner, path, value as IOrderer);
  return value as IOrderer;
}

/** `value`, given as `path` of `owner`, as a peer organization of `chart`. */
export function checkPeerOrg(owner: string, path: string, value: unknown, chart: FabricChart): IPeerOrg {
  if (!hasMembers(value, 'node', 'mspId', 'name') || !Array.isArray((value as IPeerOrg).peers) || !Array.isArray((value as IPeerOrg).anchorPeers)) {
    const orderer = hasMembers(value, 'nodes') ? ' It is an ordering organization: list it in orderers.' : '';
    throw new Error(`${owner}: ${path} is ${describeValue(value)}, not a peer organization.${orderer} List PeerOrg constructs here.`);
  }
  chart._requireSameChart(owner, path, value as IPeerOrg);
  return value as IPeerOrg;
}

function requireDistinct<T extends IOrganization>(owner: string, what: string, orgs: T[], example: string): T[] {
  if (orgs.length === 0) {
    throw new Error(`${owner}: ${what} is empty. A channel needs at least one ${example}.`);
  }
  const seen = new Set<string>();
  for (const org of orgs) {
    if (seen.has(org.mspId)) {
      throw new Error(`${owner}: ${org.mspId} is listed twice in ${what}; list each organization once.`);
    }
    seen.add(org.mspId);
  }
  return [...orgs];
}

function validateBatch(owner: string, props: ChannelProps) {
  const timeout = props.batchTimeout ?? Duration.seconds(2);
  if (typeof (timeout as Partial<Duration>)?.toMilliseconds !== 'function') {
    throw new Error(`${owner}: batchTimeout must be a Duration, got ${describeValue(timeout)}. Write it like Duration.seconds(2) (import { Duration } from 'cdk8s').`);
  }
  const milliseconds = timeout.toMilliseconds({ integral: false });
  const nanoseconds = Math.round(milliseconds * 1e6);
  if (!Number.isFinite(milliseconds) || nanoseconds <= 0) {
    throw new Error(`${owner}: batchTimeout of ${milliseconds}ms is not positive; the orderers refuse a channel whose batch timeout is 0 or less. Use a positive Duration, for example Duration.seconds(2).`);
  }
  const batchTimeout = Number.isInteger(milliseconds) ? `${milliseconds}ms` : `${nanoseconds}ns`;
  const batchSize = optionalRecord(owner, 'batchSize', props.batchSize) ?? {};
  const maxMessageCount = optionalInteger(owner, 'batchSize.maxMessageCount', batchSize.maxMessageCount, 1, 2 ** 32 - 1) ?? 10;
  const absoluteMaxBytes = (batchSize.absoluteMaxBytes ?? '99 MB') as string;
  const preferredMaxBytes = (batchSize.preferredMaxBytes ?? '512 KB') as string;
  const absolute = checkByteSize(owner, 'batchSize.absoluteMaxBytes', absoluteMaxBytes);
  const preferred = checkByteSize(owner, 'batchSize.preferredMaxBytes', preferredMaxBytes);
  if (preferred > absolute) {
    const defaulted = batchSize.absoluteMaxBytes === undefined ? ' (the default)' : '';
    throw new Error(`${owner}: batchSize.preferredMaxBytes "${preferredMaxBytes}" (${preferred} bytes) is larger than absoluteMaxBytes "${absoluteMaxBytes}"${defaulted} (${absolute} bytes); the orderers refuse that. Make preferredMaxBytes smaller or equal, or raise absoluteMaxBytes.`);
  }
  return { batchTimeout, batchSize: { maxMessageCount, absoluteMaxBytes, preferredMaxBytes } };
}
