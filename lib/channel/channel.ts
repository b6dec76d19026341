import * as kplus from 'cdk8s-plus-27';
import { Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { FabricChart } from '../core/fabric-chart';
import { Component, componentLabels } from '../core/labels';
import { validateChannelName } from '../core/naming';
import { FabricJob, JobVolume } from '../internal/fabric-job';
import { adminAccess, localMspVolume, publicMspAccess, publicMspDir, tlsCaFile, tlsVolume } from '../org/msp';
import { IOrderer, IOrdererNode } from '../org/orderer';
import { IOrganization } from '../org/organization';
import { IPeerOrg } from '../org/peer-org';
import { ExternalChaincode, ExternalChaincodeOptions } from '../chaincode/external-chaincode';
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

/** How the ordering service cuts blocks. */
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
  /** The channel name made safe for Kubernetes object names (channel names may contain dots). */
  readonly kubernetesName: string;
  /** Ordering organizations whose nodes are the channel's consenters. */
  readonly orderers: IOrderer[];
  /** Peer organizations that are members. */
  readonly members: IPeerOrg[];
  /** The channel's policies, defaults filled in. */
  readonly policies: ChannelPolicies;
}

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
   * How long the orderer waits before cutting a block that is not full.
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
    this.name = props.name ?? id;
    validateChannelName(owner, this.name);
    this._orderers = requireDistinct(owner, 'orderers', props.orderers, 'ordering organization (Orderer) to provide the consenters');
    this._members = requireDistinct(owner, 'members', props.members, 'peer organization (PeerOrg)');
    const chart = FabricChart.find(this);
    chart._reserve('channel name', this.name, this, 'Give each Channel a distinct name.');
    this.policies = {
      admins: props.policies?.admins ?? ImplicitMetaRule.MAJORITY,
      lifecycleEndorsement: props.policies?.lifecycleEndorsement ?? ImplicitMetaRule.MAJORITY,
      endorsement: props.policies?.endorsement ?? ImplicitMetaRule.MAJORITY,
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
    new kplus.ConfigMap(this, 'config', {
      metadata: { name: configMapName, labels: componentLabels(Component.CHANNEL) },
      data: {
        'configtx.yaml': this.configtx,
        ...Object.fromEntries(this.consenters().map((node) => [consenterCertKey(node.name), node.tlsCertificatePem])),
      },
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

  public get kubernetesName(): string {
    return this.name.replace(/\./g, '-');
  }

  /** Name of the Job that creates the channel, or updates its config to the model. */
  public get reconcileJobName(): string {
    return this.reconcileJob.jobName;
  }

  /** Name of the Job that joins `org`'s peers to the channel. */
  public joinJobName(org: IPeerOrg): string {
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
        ...orderers.env,
        ...actingAdmin.env,
      },
      volumes: [
        { volume: { name: 'channel-config', configMap: { name: configMapName } }, mountPath: CHANNEL_CONFIG_DIR },
        ...actingAdmin.volumes,
        ...signers.map((org) => ({ volume: localMspVolume(org, `signer-${org.name}`, org.adminSecretName), mountPath: signerMspDir(org) })),
        ...publicMspAccess([...this._orderers, ...this._members]),
        ...this._orderers.map((org) => ({ volume: tlsVolume(org, `admin-tls-${org.name}`, org.adminSecretName), mountPath: adminTlsDir(org) })),
      ],
      inputs: [this.configtx, ...this.consenters().map((node) => node.tlsCertificatePem)],
    });
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
      inputs: [org.certificateAuthorities.tlsCaPem, ...this._orderers.map((o) => o.certificateAuthorities.tlsCaPem)],
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

function requireDistinct<T extends IOrganization>(owner: string, what: string, orgs: T[], example: string): T[] {
  if (!orgs || orgs.length === 0) {
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
  const milliseconds = timeout.toMilliseconds();
  if (milliseconds < 10 || milliseconds > 60_000) {
    throw new Error(`${owner}: batchTimeout of ${milliseconds}ms is outside 10ms to 60s; blocks would be cut too eagerly or transactions wait too long.`);
  }
  const maxMessageCount = props.batchSize?.maxMessageCount ?? 10;
  if (!Number.isInteger(maxMessageCount) || maxMessageCount < 1) {
    throw new Error(`${owner}: batchSize.maxMessageCount must be a whole number of at least 1, got ${maxMessageCount}.`);
  }
  const absoluteMaxBytes = validateByteSize(owner, 'absoluteMaxBytes', props.batchSize?.absoluteMaxBytes ?? '99 MB');
  const preferredMaxBytes = validateByteSize(owner, 'preferredMaxBytes', props.batchSize?.preferredMaxBytes ?? '512 KB');
  if (byteCount(preferredMaxBytes) > byteCount(absoluteMaxBytes)) {
    throw new Error(`${owner}: batchSize.preferredMaxBytes (${preferredMaxBytes}) is larger than absoluteMaxBytes (${absoluteMaxBytes}); make it smaller or equal.`);
  }
  return { batchTimeout: `${milliseconds}ms`, batchSize: { maxMessageCount, absoluteMaxBytes, preferredMaxBytes } };
}

const BYTE_SIZE = /^(\d+) (KB|MB)$/;

function validateByteSize(owner: string, what: string, value: string): string {
  if (!BYTE_SIZE.test(value) || byteCount(value) === 0) {
    throw new Error(`${owner}: batchSize.${what} "${value}" is not a size configtxgen reads; write it like "512 KB" or "99 MB".`);
  }
  return value;
}

function byteCount(value: string): number {
  const [, amount, unit] = BYTE_SIZE.exec(value) as RegExpExecArray;
  return Number(amount) * (unit === 'MB' ? 1024 * 1024 : 1024);
}
