import { Testing } from 'cdk8s';
import { Channel, FabricChart, FabricChartProps, GeneratedIdentities, Orderer, PeerOrg } from '../lib';
import { MultiOrgNetwork } from '../apps/multi-org/network';
import { TestNetwork, TestNetworkOptions } from '../apps/test-network/network';

/** A synthesized Kubernetes object, as plain JSON. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: any;
}

/**
 * Identities from the public development seed, named on purpose: the same keys as the default,
 * without the warning synth writes when an app names no seed.
 */
export function developmentIdentities(): GeneratedIdentities {
  return new GeneratedIdentities({ seed: GeneratedIdentities.DEVELOPMENT_SEED });
}

/** A FabricChart in a new app, with development identities named on purpose. */
export function testChart(id = 'net', props: FabricChartProps = {}): FabricChart {
  return new FabricChart(Testing.app(), id, { identities: developmentIdentities(), ...props });
}

/** Synthesizes the reference network and returns the chart with its manifests. */
export function synthTestNetwork(options: TestNetworkOptions = {}): { chart: TestNetwork; objects: KubeObject[] } {
  const chart = new TestNetwork(Testing.app(), 'test-network', { identities: developmentIdentities(), ...options });
  return { chart, objects: Testing.synth(chart) as KubeObject[] };
}

/** Synthesizes the multi-organization app. */
export function synthMultiOrg(): { chart: MultiOrgNetwork; objects: KubeObject[] } {
  const chart = new MultiOrgNetwork(Testing.app(), 'multi-org', { identities: developmentIdentities() });
  return { chart, objects: Testing.synth(chart) as KubeObject[] };
}

/** The one object of `kind` named `name`; throws if there is none. */
export function find(objects: KubeObject[], kind: string, name: string): KubeObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) {
    throw new Error(`no ${kind} ${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  }
  return found;
}

/** Every object of `kind`. */
export function ofKind(objects: KubeObject[], kind: string): KubeObject[] {
  return objects.filter((object) => object.kind === kind);
}

/** The pod spec of a workload (StatefulSet, Deployment or Job). */
export function podSpec(object: KubeObject): any {
  return object.spec.template.spec;
}

/** A container's env as a record (only literal values). */
export function envOf(container: any): Record<string, string> {
  return Object.fromEntries((container.env ?? []).filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
}

/** A Secret's decoded entries. */
export function secretData(secret: KubeObject): Record<string, string> {
  return Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v as string, 'base64').toString()]));
}

/** Every workload: objects with a pod template. */
export function workloads(objects: KubeObject[]): KubeObject[] {
  return objects.filter((object) => object.spec?.template?.spec);
}

/** A pinned chaincode image for tests. */
export const IMAGE = 'example/cc:1.0.0';

/** A chart with one orderer org, three peer orgs and a channel of org1+org2. */
export function network() {
  const chart = testChart();
  const orderer = new Orderer(chart, 'orderer', { mspId: 'OrdererMSP', consenters: 1 });
  const org1 = new PeerOrg(chart, 'org1', { mspId: 'Org1MSP' });
  const org2 = new PeerOrg(chart, 'org2', { mspId: 'Org2MSP' });
  const org3 = new PeerOrg(chart, 'org3', { mspId: 'Org3MSP' });
  const channel = new Channel(chart, 'mychannel', { orderers: [orderer], members: [org1, org2] });
  return { chart, orderer, org1, org2, org3, channel };
}

/** The containers of a workload, init containers first. */
export function containersOf(object: KubeObject): any[] {
  return [...(podSpec(object).initContainers ?? []), ...podSpec(object).containers];
}

const PRIVATE_KEY = /-----BEGIN (EC |ENCRYPTED )?PRIVATE KEY-----/;

/** Whether any string in `value`, as it is or base64-decoded, holds a PEM private key. */
export function holdsPrivateKey(value: unknown): boolean {
  if (typeof value === 'string') {
    return PRIVATE_KEY.test(value) || PRIVATE_KEY.test(Buffer.from(value, 'base64').toString('latin1'));
  }
  if (value && typeof value === 'object') {
    return Object.values(value).some(holdsPrivateKey);
  }
  return false;
}

/** A Kubernetes quantity, by the API server's grammar (written here apart from the library's parser). */
const QUANTITY = /^[+-]?(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|[mkMGTPE])?$/;
const QUANTITY_FACTORS: Record<string, number> = {
  '': 1, 'm': 1e-3, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'P': 1e15, 'E': 1e18,
  'Ki': 2 ** 10, 'Mi': 2 ** 20, 'Gi': 2 ** 30, 'Ti': 2 ** 40, 'Pi': 2 ** 50, 'Ei': 2 ** 60,
};

/** The value of a quantity, or NaN if it is not one. */
export function quantityValue(text: unknown): number {
  if (typeof text !== 'string') {
    return NaN;
  }
  const match = QUANTITY.exec(text);
  if (!match) {
    return NaN;
  }
  const suffix = match[2] ?? '';
  return /^[eE][+-]?\d/.test(suffix) ? Number(text) : Number(text.slice(0, text.length - suffix.length)) * QUANTITY_FACTORS[suffix];
}

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Kinds whose names are labels (a DNS label, at most 63): they become host names or label values. */
const LABEL_NAMED_KINDS = ['Namespace', 'Service', 'StatefulSet', 'Job', 'Deployment'];
/** A pinned image: a digest, or a tag other than latest after the last '/'. */
const PINNED_IMAGE = /(@sha256:[0-9a-f]{64}$)|(^[^@]*:(?!latest$)[\w][\w.-]{0,127}$)/;

/**
 * What the hygiene checks find wrong in `objects`, as one line each (empty when all is well):
 * key material outside Secrets, service-account tokens, unpinned images, missing or invalid
 * requests and limits (a request above its limit), invalid storage sizes, object names that
 * repeat within a kind or break Kubernetes' name rules, Jobs with unbounded retries, Secrets
 * written as stringData and empty env values (which a re-apply would report as changed).
 */
export function hygieneProblems(objects: KubeObject[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const object of objects) {
    const id = `${object.kind}/${object.metadata.name}`;
    if (seen.has(id)) {
      problems.push(`${id}: name used twice`);
    }
    seen.add(id);
    const name = object.metadata.name;
    const labelNamed = LABEL_NAMED_KINDS.includes(object.kind);
    if (labelNamed ? name.length > 63 || !DNS_LABEL.test(name) : name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
      problems.push(`${id}: not a valid ${labelNamed ? 'DNS label (63)' : 'DNS subdomain (253)'}`);
    }
    if ((object.metadata.namespace === undefined) !== (object.kind === 'Namespace')) {
      problems.push(`${id}: namespace ${object.metadata.namespace}`);
    }
    if (object.kind !== 'Secret' && holdsPrivateKey(object)) {
      problems.push(`${id}: private key outside a Secret`);
    }
    const empty = emptyLists(object, '');
    if (empty.length > 0) {
      problems.push(`${id}: empty list at ${empty.join(', ')} (the API drops it, so every apply reports a change)`);
    }
    if (object.kind === 'Secret' && object.stringData !== undefined) {
      problems.push(`${id}: stringData`);
    }
    if (object.kind === 'Job' && !(object.spec.backoffLimit <= 10 && object.spec.activeDeadlineSeconds > 0)) {
      problems.push(`${id}: unbounded retries`);
    }
    for (const claim of object.spec?.volumeClaimTemplates ?? []) {
      const storage = quantityValue(claim.spec.resources.requests.storage);
      if (!(storage > 0 && Number.isInteger(storage))) {
        problems.push(`${id}: storage ${claim.spec.resources.requests.storage}`);
      }
    }
    if (!object.spec?.template?.spec) {
      continue;
    }
    if (podSpec(object).automountServiceAccountToken !== false && !callsKubernetesApi(object)) {
      problems.push(`${id}: service-account token mounted`);
    }
    for (const container of containersOf(object)) {
      const where = `${id}/${container.name}`;
      if (!PINNED_IMAGE.test(container.image)) {
        problems.push(`${where}: image ${container.image} not pinned`);
      }
      for (const resource of ['cpu', 'memory']) {
        const request = quantityValue(String(container.resources?.requests?.[resource]));
        const limit = quantityValue(String(container.resources?.limits?.[resource]));
        if (!(request >= 0 && limit > 0 && request <= limit)) {
          problems.push(`${where}: ${resource} request ${container.resources?.requests?.[resource]} limit ${container.resources?.limits?.[resource]}`);
        }
        if (resource === 'memory' && !(Number.isInteger(request) && Number.isInteger(limit))) {
          problems.push(`${where}: fractional memory`);
        }
      }
      if ((container.env ?? []).some((e: any) => e.value === '')) {
        problems.push(`${where}: empty env value`);
      }
    }
  }
  return problems;
}

/** Paths of the empty lists in `value`. */
function emptyLists(value: unknown, path: string): string[] {
  if (Array.isArray(value)) {
    return value.length === 0 ? [path] : value.flatMap((item, index) => emptyLists(item, `${path}[${index}]`));
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => emptyLists(item, `${path}.${key}`));
  }
  return [];
}

/** The Jobs that read and retire chaincode servers, which get a service-account token. */
const API_STEPS = ['approve-chaincode', 'commit-chaincode', 'reconcile-channel'];

/** Whether `object` is one of the Jobs that call the Kubernetes API, with their service account. */
export function callsKubernetesApi(object: KubeObject): boolean {
  if (object.kind !== 'Job') {
    return false;
  }
  const step = object.metadata.labels?.['hyperkube.io/step'] ?? '';
  const account = podSpec(object).serviceAccountName;
  // Fabric CA mode: each organization's enroll Job writes that organization's identity Secrets.
  const org = object.metadata.labels?.['hyperkube.io/organization'];
  return (API_STEPS.includes(step) && account === 'hyperkube-chaincode-jobs') || (step === 'enroll-identities' && account === `${org}-enroll`);
}
