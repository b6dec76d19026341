import { Channel } from '../channel/channel';
import type { FabricChart } from '../core/fabric-chart';
import { Ports } from '../core/naming';
import { constructsOf } from '../model/model-builder';
import { Orderer } from '../org/orderer';
import { IOrganization } from '../org/organization';
import { PeerOrg } from '../org/peer-org';

/** What a node does in the network, the `fabric_role` label of its metrics. */
export type FabricRole = 'peer' | 'orderer';

/** One node whose operations endpoint Prometheus scrapes. */
export interface MonitoredNode {
  /** Workload and Service name, the `fabric_node` label, for example `org1-peer0`. */
  readonly name: string;
  readonly role: FabricRole;
  readonly org: IOrganization;
  /** `host:port` of its operations endpoint: the Service FQDN, which its TLS certificate names. */
  readonly operationsAddress: string;
  readonly host: string;
  /** Its TLS certificate, when known at synth time. */
  readonly tlsCertificatePem?: string;
}

/** One channel, with the nodes that serve it. */
export interface MonitoredChannel {
  readonly name: string;
  /** Its Raft consenters, by node name, in the order of the model. */
  readonly consenters: string[];
  /** The peers of its member organizations, by node name. */
  readonly peers: string[];
}

/** The network as monitoring sees it, read from the chart's constructs. */
export interface MonitoredTopology {
  readonly namespace: string;
  readonly network: string;
  /** Organizations with at least one node, by name. */
  readonly orgs: IOrganization[];
  readonly nodes: MonitoredNode[];
  readonly channels: MonitoredChannel[];
}

/**
 * The nodes and channels of `chart` as they stand, sorted by name (nodes of one org in index
 * order), so that the same app always gives the same monitoring.
 */
export function readTopology(chart: FabricChart): MonitoredTopology {
  const constructs = constructsOf(chart);
  const peerOrgs = byName(constructs.filter((construct): construct is PeerOrg => construct instanceof PeerOrg));
  const orderers = byName(constructs.filter((construct): construct is Orderer => construct instanceof Orderer));
  const node = (name: string, role: FabricRole, org: IOrganization, host: string, tlsCertificatePem?: string): MonitoredNode =>
    ({ name, role, org, host, operationsAddress: `${host}:${Ports.OPERATIONS}`, tlsCertificatePem });
  const nodes = [
    ...orderers.flatMap((org) => org.nodes.map((consenter) => node(consenter.name, 'orderer', org, consenter.host, consenter.tlsCertificatePem))),
    ...peerOrgs.flatMap((org) => org.peers.map((peer) => node(peer.name, 'peer', org, peer.host))),
  ];
  const channels = byName(constructs.filter((construct): construct is Channel => construct instanceof Channel)).map((channel) => ({
    name: channel.name,
    consenters: byName(channel.orderers).flatMap((org) => org.nodes.map((consenter) => consenter.name)),
    peers: byName(channel.members).flatMap((org) => org.peers.map((peer) => peer.name)),
  }));
  const orgs = [...orderers, ...peerOrgs].filter((org) => nodes.some((candidate) => candidate.org === org));
  return { namespace: chart.namespace as string, network: chart.network, orgs, nodes, channels };
}

/** A one-line summary of what `topology` monitors, to tell whether the chart changed since. */
export function topologyFingerprint(topology: MonitoredTopology): string {
  return JSON.stringify({
    nodes: topology.nodes.map((node) => node.name),
    channels: topology.channels,
  });
}

function byName<T extends { readonly name: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
