import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command, Option } from 'commander';
import * as yaml from 'js-yaml';
import { NETWORK_MODEL_CONFIGMAP, NETWORK_MODEL_KEY, NetworkModel } from '../model/network-model';
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

/** The model in a ConfigMap's `model.json`, its shape checked so that drawing never meets a surprise. */
export function parseModel(json: unknown, file: string): NetworkModel {
  const where = `ConfigMap ${NETWORK_MODEL_CONFIGMAP} in ${file}`;
  if (typeof json !== 'string') {
    throw new Error(`${where} has no ${NETWORK_MODEL_KEY}. Synthesize the app again with \`cdk8s synth\`.`);
  }
  let model: unknown;
  try {
    model = JSON.parse(json);
  } catch (error) {
    throw new Error(`${where}: ${NETWORK_MODEL_KEY} is not JSON (${(error as Error).message}). Synthesize the app again with \`cdk8s synth\`.`);
  }
  const problem = shapeProblem(model);
  if (problem) {
    throw new Error(`${where}: ${NETWORK_MODEL_KEY} is not a network model: ${problem}. Synthesize the app again with \`cdk8s synth\`, and use a hyperkube CLI of the same version as the library.`);
  }
  return model as NetworkModel;
}

/** What is wrong with `value` as a NetworkModel, or undefined. */
function shapeProblem(value: unknown): string | undefined {
  const record = (item: unknown): item is Record<string, unknown> => typeof item === 'object' && item !== null && !Array.isArray(item);
  const strings = (item: unknown) => Array.isArray(item) && item.every((each) => typeof each === 'string');
  if (!record(value)) {
    return 'it is not an object';
  }
  for (const key of ['network', 'namespace', 'fabricVersion']) {
    if (typeof value[key] !== 'string') {
      return `${key} is not a string`;
    }
  }
  const lists: Record<string, { strings: string[]; kinds?: string[] }> = {
    organizations: { strings: ['name', 'mspId', 'kind'], kinds: ['peer', 'orderer'] },
    channels: { strings: ['name'] },
    chaincodes: { strings: ['name', 'channel', 'version', 'endorsementPolicy'] },
  };
  const arrays: Record<string, string[]> = {
    organizations: ['nodes'],
    channels: ['orderers', 'consenters', 'members'],
    chaincodes: ['orgs', 'servers'],
  };
  for (const [key, { strings: fields, kinds }] of Object.entries(lists)) {
    const items = value[key];
    if (!Array.isArray(items)) {
      return `${key} is not a list`;
    }
    for (const [index, item] of items.entries()) {
      if (!record(item)) {
        return `${key}[${index}] is not an object`;
      }
      const bad = fields.find((field) => typeof item[field] !== 'string') ?? arrays[key].find((field) => !strings(item[field]));
      if (bad) {
        return `${key}[${index}].${bad} is missing or of the wrong type`;
      }
      if (kinds && !kinds.includes(item.kind as string)) {
        return `${key}[${index}].kind is "${String(item.kind)}", not ${kinds.join(' or ')}`;
      }
    }
  }
  return undefined;
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
