import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { DEFAULT_ENDORSEMENT_POLICY_REFERENCE } from '../chaincode/chaincode-definition';
import { ExternalChaincode } from '../chaincode/external-chaincode';
import { Channel } from '../channel/channel';
import type { FabricChart } from '../core/fabric-chart';
import { FabricCa } from '../identity/fabric-ca/fabric-ca';
import { Orderer } from '../org/orderer';
import { IOrganization } from '../org/organization';
import { PeerOrg } from '../org/peer-org';
import { ChaincodeModel, ChannelModel, NetworkModel, OrganizationModel } from './network-model';

/**
 * The `NetworkModel` of `chart`, read from its constructs as they stand. Lists are sorted by name
 * (nodes stay in their index order), so the same app always gives the same model whatever order
 * it declared things in.
 */
export function buildNetworkModel(chart: FabricChart): NetworkModel {
  const constructs = constructsOf(chart);
  const cas = constructs.filter((construct): construct is FabricCa => construct instanceof FabricCa);
  const organizations = [
    ...constructs.filter((construct): construct is PeerOrg => construct instanceof PeerOrg).map((org) => peerOrgModel(org, cas)),
    ...constructs.filter((construct): construct is Orderer => construct instanceof Orderer).map((org) => ordererModel(org, cas)),
  ];
  return {
    network: chart.network,
    namespace: chart.namespace as string,
    fabricVersion: chart.fabricVersion,
    organizations: sortByName(organizations),
    channels: sortByName(constructs.filter((construct): construct is Channel => construct instanceof Channel).map(channelModel)),
    chaincodes: constructs.filter((construct): construct is ExternalChaincode => construct instanceof ExternalChaincode)
      .map(chaincodeModel)
      .sort((a, b) => compare(a.channel, b.channel) || compare(a.name, b.name)),
  };
}

/** Every construct of `chart`, without those of a chart nested in it (another network). */
export function constructsOf(chart: FabricChart): IConstruct[] {
  const found: IConstruct[] = [];
  const visit = (construct: IConstruct) => {
    for (const child of construct.node.children) {
      if (!Chart.isChart(child)) {
        found.push(child);
        visit(child);
      }
    }
  };
  visit(chart);
  return found;
}

function peerOrgModel(org: PeerOrg, cas: FabricCa[]): OrganizationModel {
  return withCa({ name: org.name, mspId: org.mspId, kind: 'peer', nodes: org.peers.map((peer) => peer.name) }, org, cas);
}

function ordererModel(org: Orderer, cas: FabricCa[]): OrganizationModel {
  return withCa({ name: org.name, mspId: org.mspId, kind: 'orderer', nodes: org.nodes.map((node) => node.name) }, org, cas);
}

/** `model` with the workload name of the Fabric CA that serves `org`, when the chart runs one. */
function withCa(model: OrganizationModel, org: IOrganization, cas: FabricCa[]): OrganizationModel {
  const ca = cas.find((candidate) => candidate.org.name === org.name && candidate.org.mspId === org.mspId);
  return ca ? { ...model, ca: ca.name } : model;
}

function channelModel(channel: Channel): ChannelModel {
  const orderers = sortByName(channel.orderers);
  return {
    name: channel.name,
    orderers: orderers.map((org) => org.name),
    // Each ordering organization's nodes in their own order: node10 comes after node9.
    consenters: orderers.flatMap((org) => org.nodes.map((node) => node.name)),
    members: sortByName(channel.members).map((org) => org.name),
    ...(channel.policies.endorsement ? { defaultEndorsement: channel.policies.endorsement } : {}),
  };
}

function chaincodeModel(chaincode: ExternalChaincode): ChaincodeModel {
  const servers = sortByName(chaincode.servers.map((server) => ({ name: server.org.name, server: server.name, packageId: server.package.packageId })));
  const policy = chaincode.endorsementPolicy;
  return {
    name: chaincode.name,
    channel: chaincode.channel.name,
    version: chaincode.version,
    orgs: servers.map((entry) => entry.name),
    endorsementPolicy: policy?.signaturePolicy?.expression ?? policy?.channelConfigPolicy ?? DEFAULT_ENDORSEMENT_POLICY_REFERENCE,
    // In the order of orgs: servers[i] runs for orgs[i], whose peers install packageIds[i].
    servers: chaincode.serverAddress ? [] : servers.map((entry) => entry.server),
    ...(chaincode.serverAddress ? { serverAddress: chaincode.serverAddress } : {}),
    packageIds: servers.map((entry) => entry.packageId),
  };
}

/** Code-point order: the same on every machine, whatever its locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortByName<T extends { readonly name: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => compare(a.name, b.name));
}
