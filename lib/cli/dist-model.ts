import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { NETWORK_MODEL_CONFIGMAP, NETWORK_MODEL_KEY, NetworkModel } from '../model/network-model';
import { parseModel } from '../model/parse-model';

/** A network model found in the manifests, and the file it came from. */
export interface FoundModel {
  readonly file: string;
  readonly model: NetworkModel;
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

/** The model of the network named `network` in the manifests in `dist`, or of the only one there is. */
export function modelFromDist(dist: string, network?: string): NetworkModel {
  return chooseModel(readNetworkModels(dist), dist, network);
}

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
