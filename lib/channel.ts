import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../imports/k8s';
import { CONFIGTX_PROFILE, renderConfigtx } from './configtx';
import { FabricChart } from './fabric-chart';
import { FabricJob, JobVolume } from './fabric-job';
import { validateChannelName } from './naming';
import { Orderer } from './orderer';
import { Organization, publicMspDir, tlsCaFile } from './organization';
import { PeerOrg } from './peer-org';
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

/** Props for `Channel`. */
export interface ChannelProps {
  /**
   * Channel name.
   * @default the construct id
   */
  readonly name?: string;
  /** Ordering organizations whose nodes are the channel's Raft consenters. */
  readonly orderers: Orderer[];
  /** Peer organizations that are members of the channel; each joins all its peers. */
  readonly members: PeerOrg[];
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
 * An application channel: its genesis config rendered from the model, a Job that creates it on
 * every consenter through the channel participation API, and a Job per member organization that
 * joins its peers. Anchor peers are part of the genesis config.
 */
export class Channel extends Construct {
  public readonly name: string;
  public readonly orderers: Orderer[];
  public readonly members: PeerOrg[];
  public readonly policies: Required<ChannelPolicies>;
  /** The configtx.yaml the create Job hands to configtxgen. */
  public readonly configtx: string;
  /** Name of the Job that creates the channel on the consenters. */
  public readonly createJobName: string;
  /** Names of the Jobs that join each member organization's peers, by organization name. */
  public readonly joinJobNames: Record<string, string>;
  private readonly chart: FabricChart;

  public constructor(scope: Construct, id: string, props: ChannelProps) {
    super(scope, id);
    const owner = `Channel ${id}`;
    this.name = props.name ?? id;
    validateChannelName(owner, this.name);
    this.orderers = requireDistinct(owner, 'orderers', props.orderers, 'ordering organization (Orderer) to provide the consenters');
    this.members = requireDistinct(owner, 'members', props.members, 'peer organization (PeerOrg)');
    this.chart = FabricChart.of(this);
    this.chart.reserve('channel name', this.name, this, 'Give each Channel a distinct name.');
    this.policies = {
      admins: props.policies?.admins ?? ImplicitMetaRule.MAJORITY,
      lifecycleEndorsement: props.policies?.lifecycleEndorsement ?? ImplicitMetaRule.MAJORITY,
      endorsement: props.policies?.endorsement ?? ImplicitMetaRule.MAJORITY,
    };
    const batch = validateBatch(owner, props);
    this.configtx = renderConfigtx({
      ordererOrgs: this.orderers.map((org) => ({ mspId: org.mspId, mspDir: publicMspDir(org), endpoints: org.endpoints })),
      peerOrgs: this.members.map((org) => ({ mspId: org.mspId, mspDir: publicMspDir(org), anchorPeerHosts: org.anchorPeers.map((peer) => peer.host) })),
      consenters: this.consenters().map((node) => ({ host: node.host, tlsCertFile: `${CHANNEL_CONFIG_DIR}/${consenterCertKey(node.name)}` })),
      policies: this.policies,
      ...batch,
    });
    const configMapName = `${this.kubernetesName}-channel-config`;
    new k8s.KubeConfigMap(this, 'config', {
      metadata: { name: configMapName },
      data: {
        'configtx.yaml': this.configtx,
        ...Object.fromEntries(this.consenters().map((node) => [consenterCertKey(node.name), node.tlsCertificatePem])),
      },
    });
    this.createJobName = this.addCreateJob(configMapName);
    this.joinJobNames = Object.fromEntries(this.members.map((org) => [org.name, this.addJoinJob(org)]));
  }

  /** The channel name made safe for Kubernetes object names (channel names may contain dots). */
  public get kubernetesName(): string {
    return this.name.replace(/\./g, '-');
  }

  /** Env and mounts that let a Job reach the channel's orderers: `ORDERERS="host:port=tlsCaFile ..."`. */
  public ordererAccess(): { env: Record<string, string>; volumes: JobVolume[] } {
    return {
      env: { ORDERERS: this.orderers.flatMap((org) => org.nodes.map((node) => `${node.address}=${tlsCaFile(org)}`)).join(' ') },
      volumes: this.orderers.map((org) => org.publicMspAccess()),
    };
  }

  private consenters() {
    return this.orderers.flatMap((org) => org.nodes);
  }

  private addCreateJob(configMapName: string): string {
    const adminTlsDir = (org: Orderer) => `/var/hyperledger/orderer-admins/${org.name}`;
    const actingAdmin = this.orderers[0].adminAccess();
    const orderers = this.ordererAccess();
    const job = new FabricJob(this, 'create', {
      baseName: `${this.kubernetesName}-create`,
      script: 'create-channel.sh',
      env: {
        CHANNEL: this.name,
        CONFIGTX_DIR: CHANNEL_CONFIG_DIR,
        PROFILE: CONFIGTX_PROFILE,
        CONSENTERS: this.orderers.flatMap((org) => org.nodes.map((node) => `${node.adminAddress}=${adminTlsDir(org)}`)).join(' '),
        ...orderers.env,
        ...actingAdmin.env,
      },
      volumes: [
        { volume: { name: 'channel-config', configMap: { name: configMapName } }, mountPath: CHANNEL_CONFIG_DIR },
        ...actingAdmin.volumes,
        ...distinctMspAccess([...this.orderers, ...this.members]),
        ...this.orderers.map((org) => ({ volume: org.tlsVolume(`admin-tls-${org.name}`, org.adminSecretName), mountPath: adminTlsDir(org) })),
      ],
      fingerprint: [this.configtx, ...this.consenters().map((node) => node.tlsCertificatePem)],
    });
    return job.jobName;
  }

  private addJoinJob(org: PeerOrg): string {
    const admin = org.adminAccess();
    const orderers = this.ordererAccess();
    const job = new FabricJob(this, `join-${org.name}`, {
      baseName: `${this.kubernetesName}-join-${org.name}`,
      script: 'join-channel.sh',
      env: {
        CHANNEL: this.name,
        PEERS: org.peers.map((peer) => peer.address).join(' '),
        ...orderers.env,
        ...admin.env,
      },
      volumes: [...admin.volumes, ...orderers.volumes],
      fingerprint: [org.certificateAuthorities.tlsCaPem, ...this.orderers.map((o) => o.certificateAuthorities.tlsCaPem)],
    });
    return job.jobName;
  }
}

function consenterCertKey(nodeName: string): string {
  return `consenter-${nodeName}.pem`;
}

/** The public MSP mounts of `orgs`, once each. */
export function distinctMspAccess(orgs: Organization[]): JobVolume[] {
  return [...new Set(orgs)].map((org) => org.publicMspAccess());
}

function requireDistinct<T extends Organization>(owner: string, what: string, orgs: T[], example: string): T[] {
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
