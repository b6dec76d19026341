import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command, Option } from 'commander';
import * as yaml from 'js-yaml';
import { NETWORK_MODEL_CONFIGMAP, NETWORK_MODEL_KEY, NetworkModel } from '../model/network-model';
import { parseModel } from '../model/parse-model';
import { mermaid, svg } from './diagram';

/** The pictures `hyperkube diagram` draws. */
export const DIAGRAM_FORMATS = ['mermaid', 'svg'] as const;
export type DiagramFormat = typeof DIAGRAM_FORMATS[number];

/** What `hyperkube diagram` is asked for. */
export interface DiagramOptions {
  /** Folder of the synthesized manifests. @default 'dist' */
  readonly dist?: string;
  /** @default 'mermaid' */
  readonly format?: DiagramFormat;
  /** File to write; stdout when absent. */
  readonly out?: string;
  /** The network to draw, when the folder holds several. */
  readonly network?: string;
}

/** A network model found in the manifests, and the file it came from. */
export interface FoundModel {
  readonly file: string;
  readonly model: NetworkModel;
}

/** `hyperkube diagram`: the network an app describes, drawn from `dist/`, without a cluster. */
export function registerDiagram(program: Command): void {
  program.command('diagram')
    .description('Draw the network an app describes (organizations, nodes, channels, chaincodes) from the manifests `cdk8s synth` wrote; no cluster needed.')
    .option('--dist <dir>', 'the folder of the synthesized manifests (*.k8s.yaml)', 'dist')
    .addOption(new Option('--format <format>', 'a Mermaid flowchart or a standalone SVG').choices(DIAGRAM_FORMATS).default('mermaid'))
    .option('--out <file>', 'the file to write (default: stdout)')
    .option('--network <name>', 'the network to draw, when the folder holds several')
    .action((options: DiagramOptions) => {
      const picture = drawDiagram(options);
      if (options.out) {
        mkdirSync(dirname(options.out), { recursive: true });
        writeFileSync(options.out, picture);
      } else {
        process.stdout.write(picture);
      }
    });
}

/** The picture `options` ask for, of the one network they name or the folder holds. */
export function drawDiagram(options: DiagramOptions = {}): string {
  const format = options.format ?? 'mermaid';
  if (!DIAGRAM_FORMATS.includes(format)) {
    throw new Error(`format "${String(format)}" is not one hyperkube diagram draws; use ${DIAGRAM_FORMATS.join(' or ')}.`);
  }
  const dist = options.dist ?? 'dist';
  const model = chooseModel(readNetworkModels(dist), dist, options.network);
  return format === 'svg' ? svg(model) : mermaid(model);
}

/**
 * Every network model in the `*.k8s.yaml` files of `dist` (one per FabricChart), by file name
 * order. Throws when the folder or its manifests are missing or a model cannot be read.
 */
export function readNetworkModels(dist: string): FoundModel[] {
  if (!existsSync(dist) || !statSync(dist).isDirectory()) {
    throw new Error(`no folder ${dist}. Run \`cdk8s synth\` in your app first, or name the folder of its manifests with --dist <dir>.`);
  }
  const files = readdirSync(dist).filter((name) => name.endsWith('.k8s.yaml')).sort();
  if (files.length === 0) {
    throw new Error(`${dist} holds no *.k8s.yaml manifests. Run \`cdk8s synth\` in your app first, or name the folder of its manifests with --dist <dir>.`);
  }
  const found = files.flatMap((name) => modelsInFile(join(dist, name)));
  if (found.length === 0) {
    throw new Error(`no Hyperkube network model (ConfigMap ${NETWORK_MODEL_CONFIGMAP}) in ${files.map((name) => join(dist, name)).join(', ')}. `
      + 'Synthesize the app again with `cdk8s synth`, using a Hyperkube version that writes the model (every FabricChart does from this version on).');
  }
  return found;
}

function modelsInFile(file: string): FoundModel[] {
  let documents: unknown[];
  try {
    documents = yaml.loadAll(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}. Synthesize it again with \`cdk8s synth\`.`);
  }
  return documents.filter(isModelConfigMap).map((configMap) => ({ file, model: parseModel(configMap.data?.[NETWORK_MODEL_KEY], file) }));
}

interface ConfigMapLike {
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly data?: Record<string, unknown>;
}

function isModelConfigMap(document: unknown): document is ConfigMapLike {
  const object = document as Partial<ConfigMapLike> | null;
  return typeof object === 'object' && object !== null && object.kind === 'ConfigMap' && object.metadata?.name === NETWORK_MODEL_CONFIGMAP;
}


/** The model to draw: the one named by `network`, or the only one there is. */
function chooseModel(found: FoundModel[], dist: string, network?: string): NetworkModel {
  const describe = (models: FoundModel[]) => models.map(({ model, file }) => `${model.network} (namespace ${model.namespace}, ${file})`).join(', ');
  if (network !== undefined) {
    const matching = found.filter(({ model }) => model.network === network);
    if (matching.length === 0) {
      throw new Error(`no network ${network} in ${dist}; it holds ${describe(found)}. Name one of them with --network <name>.`);
    }
    if (matching.length > 1) {
      throw new Error(`${dist} holds network ${network} more than once: ${describe(matching)}. Point --dist at a folder with one of them.`);
    }
    return matching[0].model;
  }
  if (found.length > 1) {
    throw new Error(`${dist} holds ${found.length} networks: ${describe(found)}. Choose one with --network <name>.`);
  }
  return found[0].model;
}
