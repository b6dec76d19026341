import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { FabricChart } from '../core/fabric-chart';
import { Component, componentLabels } from '../core/labels';
import { namedConfigMap } from '../core/workload';

/** Where pods see the scripts. */
export const SCRIPTS_MOUNT_PATH = '/var/hyperledger/scripts';

/** The folder every feature's scripts live under (`lib/`, or the package's compiled `lib/`). */
const LIBRARY_ROOT = join(__dirname, '..');

/**
 * Every script of the library by file name. Each lives beside the construct that runs it; in the
 * pods they sit side by side in one folder, so their names must be unique.
 */
export function libraryScripts(): Record<string, string> {
  const scripts: Record<string, string> = {};
  for (const path of shellFiles(LIBRARY_ROOT)) {
    const name = basename(path);
    if (scripts[name] !== undefined) {
      throw new Error(`Hyperkube has two scripts named ${name}; this is a bug in Hyperkube.`);
    }
    scripts[name] = readFileSync(path, 'utf8');
  }
  return Object.fromEntries(Object.entries(scripts).sort(([a], [b]) => a.localeCompare(b)));
}

function shellFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return shellFiles(path);
    }
    return entry.name.endsWith('.sh') ? [path] : [];
  });
}

const SCRIPTS = libraryScripts();

/**
 * Feature folders whose scripts only a chart that uses the feature publishes, in a ConfigMap of
 * its own (`hyperkube-<feature>-scripts`), so that adding such a feature leaves every other
 * chart's manifests as they were.
 */
const OPT_IN_FEATURES = ['backup'];

/** The file names of the scripts under `lib/<feature>/`. */
function featureScripts(feature: string): string[] {
  return shellFiles(join(LIBRARY_ROOT, feature)).map((path) => basename(path)).sort();
}

const OPT_IN_SCRIPTS = new Set(OPT_IN_FEATURES.flatMap(featureScripts));

/** How a script sources another of the library. */
const SOURCE_LINE = /^source "\$\(dirname "\$0"\)\/([\w.-]+)"$/gm;

/**
 * The shell scripts Jobs and init containers run, published once per chart in one ConfigMap.
 * @internal
 */
export class ScriptLibrary extends Construct {
  /** The chart's script library, created on first use. */
  public static of(chart: FabricChart): ScriptLibrary {
    return (chart.node.tryFindChild('scripts') as ScriptLibrary | undefined)
      ?? new ScriptLibrary(chart, 'scripts', 'hyperkube-scripts', Object.keys(SCRIPTS).filter((file) => !OPT_IN_SCRIPTS.has(file)));
  }

  /**
   * The chart's library of opt-in feature `feature` (a folder of `OPT_IN_FEATURES`): its scripts
   * and those they source, created on first use.
   */
  public static ofFeature(chart: FabricChart, feature: string): ScriptLibrary {
    if (!OPT_IN_FEATURES.includes(feature)) {
      throw new Error(`Hyperkube has no opt-in script feature ${feature}; this is a bug in Hyperkube.`);
    }
    const id = `${feature}-scripts`;
    return (chart.node.tryFindChild(id) as ScriptLibrary | undefined) ?? new ScriptLibrary(chart, id, `hyperkube-${feature}-scripts`, featureScripts(feature));
  }

  private constructor(scope: Construct, id: string, public readonly configMapName: string, files: string[]) {
    super(scope, id);
    const published = new Set(files.flatMap((file) => this.withSources(file)));
    namedConfigMap(this, 'config-map', {
      metadata: { name: this.configMapName, labels: componentLabels(Component.SCRIPTS) },
      data: Object.fromEntries(Object.entries(SCRIPTS).filter(([file]) => published.has(file))),
    });
  }

  /** Text of script `file`; throws if the library has no such script. */
  public script(file: string): string {
    const text = SCRIPTS[file];
    if (text === undefined) {
      throw new Error(`Hyperkube has no script ${file}; this is a bug in Hyperkube.`);
    }
    return text;
  }

  /**
   * `file` and every script it sources (`source "$(dirname "$0")/other.sh"`), at any depth: what
   * a pod running `file` executes, so that a digest of them changes with any of them.
   */
  public withSources(file: string): string[] {
    const found = [file];
    for (let index = 0; index < found.length; index++) {
      for (const match of this.script(found[index]).matchAll(SOURCE_LINE)) {
        if (!found.includes(match[1])) {
          found.push(match[1]);
        }
      }
    }
    return found;
  }

  /** A short digest of `files`, written into pod templates so that a script change rolls the pods. */
  public digest(files: string[]): string {
    const hash = createHash('sha256');
    for (const file of files) {
      hash.update(file).update('\u0000').update(this.script(file)).update('\u0000');
    }
    return hash.digest('hex').slice(0, 16);
  }

  /** A volume with every script, executable. */
  public volume(name: string): k8s.Volume {
    return { name, configMap: { name: this.configMapName, defaultMode: 0o555 } };
  }
}
