import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { FabricChart } from '../core/fabric-chart';
import { Component, componentLabels } from '../core/labels';
import { shortHash } from '../core/naming';
import { containerSecurity, DefaultResources, envList, podDefaults, resourceRequirements } from '../core/workload';
import { SCRIPTS_MOUNT_PATH, ScriptLibrary } from './script-library';

/** A volume a Job needs, and where it is mounted. */
export interface JobVolume {
  readonly volume: k8s.Volume;
  readonly mountPath: string;
  /** Whether the script may write to it. @default false */
  readonly writable?: boolean;
}

/** Props for `FabricJob`. */
export interface FabricJobProps {
  /** Name prefix; a short hash of the whole rendered Job spec is appended. */
  readonly baseName: string;
  /** Script of the library the Job runs. */
  readonly script: string;
  /** Parameters of the script. */
  readonly env: Record<string, string>;
  /** Identity material, config and packages the script reads. */
  readonly volumes: JobVolume[];
  /**
   * The content of what the Job reads through its volumes (configtx, packages, certificates):
   * it is written into the pod template as a digest, so a change of any of it makes a new Job.
   */
  readonly inputs: string[];
  /** Component of the network the Job works on. */
  readonly component: Component;
  /** Organization the Job acts for, when it acts for one. */
  readonly organization?: string;
  /**
   * Service account of a Job that calls the Kubernetes API; only such a Job gets a token.
   * @default none: no token is mounted
   */
  readonly serviceAccountName?: string;
  /** Labels of the Job and its pod besides the component's. @default none */
  readonly labels?: Record<string, string>;
  /**
   * Programs the tools image lacks, copied by an init container from `image` (where `commands`
   * are on the PATH) into `$BIN_DIR`. @default none
   */
  readonly binaries?: { readonly image: string; readonly commands: string[] };
  /**
   * The opt-in feature whose script library holds `script` (see `ScriptLibrary.ofFeature`).
   * @default the chart's main library
   */
  readonly scriptFeature?: string;
}

/** Longest base name: with '-' and the 10-character spec hash, a Job name is a 63-character label. */
const MAX_BASE_NAME = 52;

/**
 * `name` as a Job base name: kept when it fits, else truncated and ended with a short hash of the
 * whole, so that two long names that share a beginning still make two Jobs.
 */
function jobBaseName(name: string): string {
  if (name.length <= MAX_BASE_NAME) {
    return name;
  }
  const hash = shortHash(name);
  return `${name.slice(0, MAX_BASE_NAME - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

/** The exit code of a script's `refuse`: the Job fails at once, without retries. */
const REFUSED_EXIT_CODE = 3;

/**
 * The pod failure policy rule that ends the Job on a refusal. The 1.27 types make
 * `onPodConditions` required; it is optional since Kubernetes 1.28, and an empty list would be
 * written where the API server writes none, so the rule leaves it out.
 */
const FAIL_JOB_WHEN_REFUSED = {
  action: 'FailJob',
  onExitCodes: { containerName: 'run', operator: 'In', values: [REFUSED_EXIT_CODE] },
} as k8s.PodFailurePolicyRule;

/** Where a Job's script may write. */
const JOB_WORK_DIR = '/var/hyperledger/work';

/** Pod template annotations that carry what the spec alone does not show. */
const Annotations = {
  SCRIPTS: 'hyperkube.io/scripts-digest',
  INPUTS: 'hyperkube.io/inputs-digest',
} as const;

/**
 * A Kubernetes Job named after a hash of its whole rendered spec, computed when it is written:
 * applying an unchanged chart again changes nothing, and any change to the spec (by the app, by
 * a newer Hyperkube, or by a JSON patch) makes a new Job, since a Job's pod template is immutable.
 */
class SpecHashedJob extends k8s.KubeJob {
  public constructor(scope: Construct, id: string, private readonly baseName: string, props: k8s.KubeJobProps) {
    super(scope, id, props);
  }

  public toJson(): any {
    const json = super.toJson();
    const hash = createHash('sha256').update(JSON.stringify(json.spec)).digest('hex').slice(0, 10);
    json.metadata.name = `${this.baseName}-${hash}`;
    return json;
  }
}

/**
 * A one-shot Job running one Hyperkube script in the tools image. Its default child is the Job
 * object, so `ApiObject.of(fabricJob)` reaches it.
 * @internal
 */
export class FabricJob extends Construct {
  private readonly job: SpecHashedJob;

  public constructor(scope: Construct, id: string, props: FabricJobProps) {
    super(scope, id);
    const chart = FabricChart.find(this);
    const baseName = jobBaseName(props.baseName);
    chart._reserve('Job name', baseName, this, 'Two Jobs would do the same thing; remove the duplicate construct.');
    const labels = { ...componentLabels(props.component, props.organization), ...props.labels, 'hyperkube.io/step': props.script.replace(/\.sh$/, '') };
    this.job = new SpecHashedJob(this, 'Resource', baseName, {
      metadata: { name: baseName, labels },
      spec: {
        backoffLimit: 6,
        activeDeadlineSeconds: 3600,
        // A script that meets a refusal no retry can fix exits with REFUSED_EXIT_CODE (common.sh).
        podFailurePolicy: { rules: [FAIL_JOB_WHEN_REFUSED] },
        template: fabricJobPod(chart, props, labels),
      },
    });
  }

  /** The Job's name: its base name and the hash of its rendered spec. */
  public get jobName(): string {
    return this.job.toJson().metadata.name;
  }
}

/** Where `FabricJobProps.binaries` land. */
const JOB_BIN_DIR = `${JOB_WORK_DIR}/bin`;

/**
 * The pod template of a Job running `props.script` in the tools image: what a `FabricJob` runs,
 * and what a CronJob of the same script runs on a schedule.
 * @internal
 */
export function fabricJobPod(chart: FabricChart, props: FabricJobProps, labels: Record<string, string>): k8s.PodTemplateSpec {
  const scripts = props.scriptFeature ? ScriptLibrary.ofFeature(chart, props.scriptFeature) : ScriptLibrary.of(chart);
  const binaries = props.binaries;
  const workMount = { name: 'work', mountPath: JOB_WORK_DIR };
  return {
    metadata: {
      labels: { ...chart.labels, ...labels },
      annotations: {
        [Annotations.SCRIPTS]: scripts.digest(scripts.withSources(props.script)),
        [Annotations.INPUTS]: createHash('sha256').update(JSON.stringify(props.inputs)).digest('hex').slice(0, 16),
      },
    },
    spec: {
      ...podDefaults(),
      ...(props.serviceAccountName ? { serviceAccountName: props.serviceAccountName, automountServiceAccountToken: true } : {}),
      restartPolicy: 'Never',
      ...(binaries ? {
        initContainers: [{
          name: 'binaries',
          image: binaries.image,
          command: ['sh', '-c', `mkdir -p ${JOB_BIN_DIR} && for c in "$@"; do cp "$(command -v "$c")" ${JOB_BIN_DIR}/; done`, 'copy', ...binaries.commands],
          volumeMounts: [workMount],
          resources: resourceRequirements(`${props.baseName} Job`, {}, DefaultResources.JOB),
          securityContext: containerSecurity(),
        }],
      } : {}),
      containers: [{
        name: 'run',
        image: chart.toolsImage,
        command: ['bash', `${SCRIPTS_MOUNT_PATH}/${props.script}`],
        workingDir: JOB_WORK_DIR,
        env: envList({ ...props.env, WORK_DIR: JOB_WORK_DIR, ...(binaries ? { BIN_DIR: JOB_BIN_DIR } : {}) }),
        volumeMounts: [
          { name: 'scripts', mountPath: SCRIPTS_MOUNT_PATH, readOnly: true },
          workMount,
          ...props.volumes.map((entry) => ({ name: entry.volume.name, mountPath: entry.mountPath, ...(entry.writable ? {} : { readOnly: true }) })),
        ],
        resources: resourceRequirements(`${props.baseName} Job`, {}, DefaultResources.JOB),
        securityContext: containerSecurity(),
      }],
      volumes: [scripts.volume('scripts'), { name: 'work', emptyDir: {} }, ...props.volumes.map((entry) => entry.volume)],
    },
  };
}
