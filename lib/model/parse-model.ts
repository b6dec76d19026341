import { NETWORK_MODEL_CONFIGMAP, NETWORK_MODEL_KEY, NetworkModel } from './network-model';

/**
 * The model in a ConfigMap's `model.json` (`source` says where the ConfigMap was read: a file, a
 * namespace), its shape checked so that the CLI never meets a surprise.
 */
export function parseModel(json: unknown, source: string): NetworkModel {
  const where = `ConfigMap ${NETWORK_MODEL_CONFIGMAP} in ${source}`;
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
    chaincodes: ['orgs', 'servers', 'packageIds'],
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
