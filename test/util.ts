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
