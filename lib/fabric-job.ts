import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import * as k8s from '../imports/k8s';
import { FabricChart } from './fabric-chart';
import { SCRIPTS_MOUNT_PATH, ScriptLibrary } from './script-library';
import { containerSecurity, DefaultResources, envList, podDefaults, resourceRequirements } from './workload';

/** A volume a Job needs, and where it is mounted. */
export interface JobVolume {
  readonly volume: k8s.Volume;
  readonly mountPath: string;
}

/** Props for `FabricJob`. */
export interface FabricJobProps {
  /** Name prefix; a short hash of what the Job does is appended. */
  readonly baseName: string;
  /** Script of `lib/scripts` the Job runs. */
  readonly script: string;
  /** Parameters of the script. */
  readonly env: Record<string, string>;
  /** Identity material, config and packages the script reads. */
  readonly volumes: JobVolume[];
  /** The content of everything the Job consumes, so that a change of any of it makes a new Job. */
  readonly fingerprint: string[];
}

/** Where a Job's script may write. */
const JOB_WORK_DIR = '/var/hyperledger/work';

/**
 * A one-shot Job running one Hyperkube script in the tools image. Its name carries a hash of the
 * script, its parameters and its inputs: applying an unchanged chart again changes nothing, and
 * any change makes a new Job (Jobs are immutable).
 */
export class FabricJob extends Construct {
  public readonly jobName: string;

  public constructor(scope: Construct, id: string, props: FabricJobProps) {
    super(scope, id);
    const chart = FabricChart.of(this);
    const scripts = ScriptLibrary.of(chart);
    const scriptText = scripts.script(props.script);
    const hash = createHash('sha256')
      .update(JSON.stringify([chart.toolsImage, scriptText, scripts.script('common.sh'), props.env, props.volumes, props.fingerprint]))
      .digest('hex')
      .slice(0, 10);
    this.jobName = `${props.baseName.slice(0, 52).replace(/-+$/, '')}-${hash}`;
    chart.reserve('Job name', this.jobName, this, 'Two Jobs would do the same thing; remove the duplicate construct.');
    const labels = { 'app.kubernetes.io/managed-by': 'hyperkube', 'hyperkube.io/step': props.script.replace(/\.sh$/, '') };
    new k8s.KubeJob(this, 'job', {
      metadata: { name: this.jobName, labels },
      spec: {
        backoffLimit: 6,
        activeDeadlineSeconds: 3600,
        template: {
          metadata: { labels },
          spec: {
            ...podDefaults(),
            restartPolicy: 'Never',
            containers: [{
              name: 'run',
              image: chart.toolsImage,
              command: ['bash', `${SCRIPTS_MOUNT_PATH}/${props.script}`],
              workingDir: JOB_WORK_DIR,
              env: envList({ ...props.env, WORK_DIR: JOB_WORK_DIR }),
              volumeMounts: [
                { name: 'scripts', mountPath: SCRIPTS_MOUNT_PATH, readOnly: true },
                { name: 'work', mountPath: JOB_WORK_DIR },
                ...props.volumes.map((entry) => ({ name: entry.volume.name, mountPath: entry.mountPath, readOnly: true })),
              ],
              resources: resourceRequirements(`${props.baseName} Job`, {}, DefaultResources.JOB),
              securityContext: containerSecurity(),
            }],
            volumes: [scripts.volume('scripts'), { name: 'work', emptyDir: {} }, ...props.volumes.map((entry) => entry.volume)],
          },
        },
      },
    });
  }
}
