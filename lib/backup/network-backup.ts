import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { Channel } from '../channel/channel';
import { FabricChart } from '../core/fabric-chart';
import { Component, componentLabels, selectorLabels } from '../core/labels';
import { checkProps, describeValue, optionalString, rejectUnknownProps } from '../core/props';
import {
  containerSecurity, DefaultResources, envList, LEDGER_VOLUME, LedgerStatefulSet, podDefaults, READINESS_PERIOD_SECONDS, resourceRequirements,
} from '../core/workload';
import { FabricJob, FabricJobProps, fabricJobPod } from '../internal/fabric-job';
import { SCRIPTS_MOUNT_PATH, ScriptLibrary } from '../internal/script-library';
import { OrdererNode } from '../org/orderer';
import { Peer } from '../org/peer';
import { BackupTarget } from './backup-target';

/** Props for `NetworkBackup`. */
export interface NetworkBackupProps {
  /** Where backups are written and read: `BackupTarget.s3(...)` or `BackupTarget.persistentVolumeClaim(...)`. */
  readonly target: BackupTarget;
  /**
   * Name of a backup to take once, when the chart is applied: a Job backs up every node, one at a
   * time, into the folder of that name. Applying the same name again does nothing; a new name
   * takes a new backup.
   * @default no backup on apply
   */
  readonly backupName?: string;
  /**
   * Cron schedule of a CronJob that backs the network up, each run into `<network>-<UTC time>`,
   * for example '30 2 * * *'.
   * @default no scheduled backups
   */
  readonly schedule?: string;
  /**
   * Name of a backup to restore: every node's ledger volume is filled from it before the node
   * starts, if the volume is empty; a volume that holds data is never overwritten (the node's pod
   * then fails to start, saying so). Use it on a new namespace or cluster, with the same chart
   * (the same names and identities) as the backed-up network.
   * @default no restore
   */
  readonly restoreFrom?: string;
}

/** The names of the backup's service account, Role, RoleBinding and CronJob. */
const BACKUP_ACCOUNT = 'hyperkube-backup';
/** Suffix of each node's backup agent StatefulSet. */
const AGENT_SUFFIX = '-backup';
const LEDGER_DIR = '/var/hyperledger/production';
const WORK_DIR = '/var/hyperledger/work';
const BACKUP_NAME_ANNOTATION = 'hyperkube.io/backup-name';
/** A backup name: a folder and key part, an annotation value and part of a Job name. */
const BACKUP_NAME = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;
const CRON_FIELD = /^[0-9A-Za-z*?,/-]+$/;
const CRON_MACRO = /^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/;

/** A node of the chart with a ledger volume: a peer or a consenter. */
interface LedgerNode {
  readonly name: string;
  readonly kind: 'peer' | 'orderer';
  readonly construct: Peer | OrdererNode;
}

/**
 * Backup and restore of every ledger of the chart (peers with their CouchDB data, consenters with
 * their Raft WAL and snapshots) while the network keeps serving. Create it after every `Orderer`,
 * `PeerOrg` and `Channel` of the chart.
 *
 * A backup stops one node at a time, peers first (a consenter only while the rest of each of its
 * channels' consenters are a ready Raft majority), lets the node's backup agent copy its whole ledger volume into the
 * target with its heights and sha256, starts the node again and waits until it is ready, then
 * goes on to the next; it writes the backup's `manifest.json` last.
 */
export class NetworkBackup extends Construct {
  /** Name of the on-demand backup Job, when `backupName` is given. */
  public readonly jobName?: string;
  private readonly chart: FabricChart;
  private readonly target: BackupTarget;
  private readonly nodes: LedgerNode[];

  public constructor(scope: Construct, id: string, props: NetworkBackupProps) {
    super(scope, id);
    const owner = `NetworkBackup ${id}`;
    checkProps(owner, props, ['target']);
    rejectUnknownProps(owner, props, { target: true, backupName: true, schedule: true, restoreFrom: true });
    this.chart = FabricChart.find(this);
    this.chart._reserve('NetworkBackup', 'backup', this, 'A chart backs up all its nodes with one NetworkBackup; remove the second.');
    if (!BackupTarget.isBackupTarget(props.target)) {
      throw new Error(`${owner}: target must be a BackupTarget, got ${describeValue(props.target)}. Pass BackupTarget.s3({ endpoint, bucket, credentialsSecret }) or BackupTarget.persistentVolumeClaim({ claimName }).`);
    }
    this.target = props.target;
    const backupName = checkBackupName(owner, 'backupName', props.backupName);
    const schedule = checkSchedule(owner, props.schedule);
    const restoreFrom = checkBackupName(owner, 'restoreFrom', props.restoreFrom);
    if (backupName === undefined && schedule === undefined && restoreFrom === undefined) {
      throw new Error(`${owner}: it would do nothing. Give backupName (a backup when applied), schedule (a CronJob) or restoreFrom (a restore).`);
    }
    this.nodes = ledgerNodes(this.chart);
    if (this.nodes.length === 0) {
      throw new Error(`${owner}: FabricChart ${this.chart.node.id} has no peer or orderer yet. Create the NetworkBackup after every Orderer and PeerOrg of the chart.`);
    }
    this.node.addValidation({ validate: () => this.nodesAddedLater() });
    if (backupName !== undefined || schedule !== undefined) {
      const consenterSets = channelConsenters(owner, this.chart);
      this.addAccess();
      this.nodes.forEach((node) => this.addAgent(node));
      const job = this.jobProps(consenterSets);
      if (backupName !== undefined) {
        this.jobName = new FabricJob(this, 'job', { ...job, baseName: `backup-${backupName}`, env: { ...job.env, BACKUP_NAME: backupName } }).jobName;
      }
      if (schedule !== undefined) {
        this.addCronJob(schedule, job);
      }
    }
    if (restoreFrom !== undefined) {
      this.nodes.forEach((node) => this.addRestore(node, restoreFrom));
    }
  }

  /** The service account of the backup Job and a Role limited to the nodes' and agents' StatefulSets and pods. */
  private addAccess(): void {
    const metadata = { name: BACKUP_ACCOUNT, labels: componentLabels(Component.BACKUP) };
    new k8s.KubeServiceAccount(this, 'account', { metadata, automountServiceAccountToken: false });
    const statefulSets = this.nodes.flatMap((node) => [node.name, agentName(node)]);
    new k8s.KubeRole(this, 'role', {
      metadata,
      rules: [
        { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['get', 'patch'], resourceNames: statefulSets },
        { apiGroups: [''], resources: ['pods'], verbs: ['get'], resourceNames: statefulSets.map((name) => `${name}-0`) },
      ],
    });
    new k8s.KubeRoleBinding(this, 'binding', {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: BACKUP_ACCOUNT },
      subjects: [{ kind: 'ServiceAccount', name: BACKUP_ACCOUNT, namespace: this.chart.namespace }],
    });
  }

  /**
   * The node's backup agent: a StatefulSet of no replica whose pod mounts the node's ledger
   * volume read-only. The backup Job starts it, naming the backup, while the node is stopped.
   */
  private addAgent(node: LedgerNode): void {
    const name = agentName(node);
    this.chart._reserve('StatefulSet name', name, this, `Rename the node ${node.name}: its backup agent's name is taken.`);
    const scripts = ScriptLibrary.ofFeature(this.chart, 'backup');
    const labels = componentLabels(Component.BACKUP, node.construct.node.scope?.node.id);
    const selector = selectorLabels('hyperkube-backup-agent', name);
    const readyFile = `${WORK_DIR}/stored`;
    new k8s.KubeStatefulSet(this, `agent-${node.name}`, {
      metadata: { name, labels },
      spec: {
        serviceName: name,
        replicas: 0,
        selector: { matchLabels: selector },
        template: {
          metadata: {
            labels: { ...this.chart.labels, ...labels, ...selector },
            annotations: { 'hyperkube.io/scripts-digest': scripts.digest(scripts.withSources('backup-node.sh')) },
          },
          spec: {
            ...podDefaults(),
            containers: [{
              name: 'copy',
              image: this.chart.toolsImage,
              command: ['bash', `${SCRIPTS_MOUNT_PATH}/backup-node.sh`],
              env: [
                ...envList({ NODE: node.name, LEDGER_DIR, WORK_DIR, READY_FILE: readyFile, ...this.target._env }),
                { name: 'BACKUP_NAME', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${BACKUP_NAME_ANNOTATION}']` } } },
              ],
              volumeMounts: [
                { name: 'scripts', mountPath: SCRIPTS_MOUNT_PATH, readOnly: true },
                { name: 'work', mountPath: WORK_DIR },
                { name: LEDGER_VOLUME, mountPath: LEDGER_DIR, readOnly: true },
                ...this.target._mounts,
              ],
              readinessProbe: { exec: { command: ['test', '-f', readyFile] }, periodSeconds: READINESS_PERIOD_SECONDS },
              resources: resourceRequirements(`NetworkBackup ${this.node.id}`, {}, DefaultResources.JOB),
              securityContext: containerSecurity(),
              // The backup Job reads why an agent failed from its pod's status.
              terminationMessagePolicy: 'FallbackToLogsOnError',
            }],
            volumes: [
              scripts.volume('scripts'),
              { name: 'work', emptyDir: {} },
              { name: LEDGER_VOLUME, persistentVolumeClaim: { claimName: ledgerClaimName(node), readOnly: true } },
              ...this.target._volumes.map((entry) => entry.volume),
            ],
          },
        },
      },
    });
  }

  private jobProps(consenterSets: string[]): FabricJobProps {
    return {
      baseName: 'backup',
      script: 'backup-network.sh',
      env: {
        NODES: this.nodes.map((node) => `${node.name}=${node.kind}`).join(' '),
        CONSENTER_SETS: consenterSets.join(' '),
        NETWORK: this.chart.network,
        BACKUP_PREFIX: this.chart.network.toLowerCase().replace(/[^a-z0-9-]/g, '-'),
        ...this.target._env,
      },
      volumes: this.target._volumes,
      inputs: [],
      component: Component.BACKUP,
      scriptFeature: 'backup',
      serviceAccountName: BACKUP_ACCOUNT,
    };
  }

  private addCronJob(schedule: string, job: FabricJobProps): void {
    const labels = { ...componentLabels(Component.BACKUP), 'hyperkube.io/step': 'backup-network' };
    new k8s.KubeCronJob(this, 'schedule', {
      metadata: { name: BACKUP_ACCOUNT, labels },
      spec: {
        schedule,
        concurrencyPolicy: 'Forbid',
        jobTemplate: { spec: { backoffLimit: 2, template: fabricJobPod(this.chart, { ...job, env: { ...job.env, BACKUP_NAME: '' } }, labels) } },
      },
    });
  }

  /** The init container that fills the node's empty ledger volume from backup `backup` before anything else runs. */
  private addRestore(node: LedgerNode, backup: string): void {
    const statefulSet: unknown = node.construct.node.defaultChild;
    if (!(statefulSet instanceof LedgerStatefulSet)) {
      throw new Error(`NetworkBackup ${this.node.id}: the default child of ${node.construct.node.path} is no longer its StatefulSet, so its ledger cannot be restored. Keep the StatefulSet as the node's default child.`);
    }
    const scripts = ScriptLibrary.ofFeature(this.chart, 'backup');
    (statefulSet as LedgerStatefulSet)._runFirst({
      name: 'restore',
      image: this.chart.toolsImage,
      command: ['bash', `${SCRIPTS_MOUNT_PATH}/restore-node.sh`],
      env: envList({ NODE: node.name, BACKUP_NAME: backup, LEDGER_DIR, WORK_DIR, ...this.target._env }),
      volumeMounts: [
        { name: 'restore-scripts', mountPath: SCRIPTS_MOUNT_PATH, readOnly: true },
        { name: 'restore-work', mountPath: WORK_DIR },
        { name: LEDGER_VOLUME, mountPath: LEDGER_DIR },
        ...this.target._mounts.map((mount) => ({ ...mount, readOnly: true })),
      ],
      resources: resourceRequirements(`NetworkBackup ${this.node.id}`, {}, DefaultResources.JOB),
      securityContext: containerSecurity(),
      terminationMessagePolicy: 'FallbackToLogsOnError',
    }, [scripts.volume('restore-scripts'), { name: 'restore-work', emptyDir: {} }, ...this.target._volumes.map((entry) => entry.volume)]);
  }

  /** Errors for nodes and channels created after this construct: it would not back them up. */
  private nodesAddedLater(): string[] {
    const known = new Set(this.nodes.map((node) => node.name));
    return ledgerNodes(this.chart).filter((node) => !known.has(node.name)).map((node) =>
      `NetworkBackup ${this.node.id}: ${node.construct.node.path} was created after it, so it would neither back up nor restore node ${node.name}. Create the NetworkBackup after every Orderer, PeerOrg and Channel of the chart.`);
  }
}

function agentName(node: LedgerNode): string {
  return `${node.name}${AGENT_SUFFIX}`;
}

/** The PVC the node's StatefulSet made from its ledger claim template (one replica, ordinal 0). */
function ledgerClaimName(node: LedgerNode): string {
  return `${LEDGER_VOLUME}-${node.name}-0`;
}

/**
 * The chart's peers, then its consenters, each in the order they were created. Peers go first:
 * every block a peer's copy holds is then in the consenters' copies, taken later, so a restored
 * ordering service never numbers a new block that a restored peer already holds.
 */
function ledgerNodes(chart: FabricChart): LedgerNode[] {
  const all = chart.node.findAll();
  const peers = all.filter((construct): construct is Peer => construct instanceof Peer)
    .map((construct): LedgerNode => ({ name: construct.name, kind: 'peer', construct }));
  const consenters = all.filter((construct): construct is OrdererNode => construct instanceof OrdererNode)
    .map((construct): LedgerNode => ({ name: construct.name, kind: 'orderer', construct }));
  return [...peers, ...consenters];
}

/**
 * Each channel's consenters, comma-joined, one entry per distinct set. Throws for a channel with
 * fewer than three: stopping one of them leaves no Raft majority, so ordering would stop.
 */
function channelConsenters(owner: string, chart: FabricChart): string[] {
  const sets = new Set<string>();
  for (const channel of chart.node.findAll().filter((construct): construct is Channel => construct instanceof Channel)) {
    const names = channel.orderers.flatMap((orderer) => orderer.nodes.map((node) => node.name));
    if (names.length < 3) {
      throw new Error(`${owner}: channel ${channel.name} has ${names.length} consenter(s) (${names.join(', ')}); a backup stops one consenter at a time, which leaves no Raft majority, so the channel would stop ordering. Give its Orderer at least 3 consenters (consenters: 3).`);
    }
    sets.add(names.join(','));
  }
  return [...sets];
}

function checkBackupName(owner: string, prop: string, value: unknown): string | undefined {
  const name = optionalString(owner, prop, value, 'before-upgrade-1');
  if (name !== undefined && !BACKUP_NAME.test(name)) {
    throw new Error(`${owner}: ${prop} ${describeValue(name)} is not a backup name. Use 1 to 40 lowercase letters, digits and '-', starting and ending with a letter or digit (for example "before-upgrade-1"); it names the backup's folder and its Job.`);
  }
  return name;
}

function checkSchedule(owner: string, value: unknown): string | undefined {
  const schedule = optionalString(owner, 'schedule', value, '30 2 * * *');
  if (schedule === undefined) {
    return undefined;
  }
  const fields = schedule.trim().split(/\s+/);
  if (!CRON_MACRO.test(schedule) && (fields.length !== 5 || !fields.every((field) => CRON_FIELD.test(field)))) {
    throw new Error(`${owner}: schedule ${describeValue(schedule)} is not a cron schedule. Give five fields (minute hour day-of-month month day-of-week), for example "30 2 * * *" for 02:30 every day, or a macro such as "@daily".`);
  }
  return schedule;
}
