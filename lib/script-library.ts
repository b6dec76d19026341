import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Construct } from 'constructs';
import * as k8s from '../imports/k8s';
import { FabricChart } from './fabric-chart';

/** Where pods see the scripts. */
export const SCRIPTS_MOUNT_PATH = '/var/hyperledger/scripts';

const SCRIPTS_DIR = join(__dirname, 'scripts');
const SCRIPTS: Record<string, string> = Object.fromEntries(
  readdirSync(SCRIPTS_DIR).filter((file) => file.endsWith('.sh')).sort()
    .map((file) => [file, readFileSync(join(SCRIPTS_DIR, file), 'utf8')]),
);

/**
 * The shell scripts Jobs and init containers run, shipped as real files in `lib/scripts` and
 * published once per chart in one ConfigMap.
 */
export class ScriptLibrary extends Construct {
  /** The chart's script library, created on first use. */
  public static of(chart: FabricChart): ScriptLibrary {
    return (chart.node.tryFindChild('scripts') as ScriptLibrary | undefined) ?? new ScriptLibrary(chart, 'scripts');
  }

  public readonly configMapName = 'hyperkube-scripts';

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    new k8s.KubeConfigMap(this, 'config-map', { metadata: { name: this.configMapName }, data: SCRIPTS });
  }

  /** Text of script `file`; throws if the library has no such script. */
  public script(file: string): string {
    const text = SCRIPTS[file];
    if (text === undefined) {
      throw new Error(`Hyperkube has no script ${file}; this is a bug in Hyperkube.`);
    }
    return text;
  }

  /** A volume with every script, executable. */
  public volume(name: string): k8s.Volume {
    return { name, configMap: { name: this.configMapName, defaultMode: 0o555 } };
  }
}
