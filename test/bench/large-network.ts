import { App } from 'cdk8s';
import { Channel, ExternalChaincode, FabricChart, GeneratedIdentities, Orderer, PeerOrg } from '../../lib';

/** Shape of a generated network. */
export interface LargeNetworkShape {
  readonly peerOrgs: number;
  readonly peersPerOrg: number;
  readonly ordererOrgs: number;
  readonly consentersPerOrderer: number;
  readonly channels: number;
  readonly chaincodes: number;
  readonly membersPerChannel: number;
}

/** The benchmark's large network: 20 peer orgs x 2 peers, 2 orderer orgs x 3 consenters, 10 channels, 20 chaincodes. */
export const LARGE_SHAPE: LargeNetworkShape = {
  peerOrgs: 20, peersPerOrg: 2, ordererOrgs: 2, consentersPerOrderer: 3, channels: 10, chaincodes: 20, membersPerChannel: 4,
};

/** Builds a network of `shape`: channel i has consecutive orgs, chaincodes spread round-robin over channels. */
export function buildLargeNetwork(app: App, shape: LargeNetworkShape = LARGE_SHAPE): FabricChart {
  // The development seed on purpose: a benchmark's keys protect nothing.
  const chart = new FabricChart(app, 'large', { namespace: 'fabric-large', identities: new GeneratedIdentities({ seed: GeneratedIdentities.DEVELOPMENT_SEED }) });
  const orderers = Array.from({ length: shape.ordererOrgs }, (_, i) =>
    new Orderer(chart, `ord${i}`, { mspId: `Orderer${i}MSP`, consenters: shape.consentersPerOrderer }));
  const orgs = Array.from({ length: shape.peerOrgs }, (_, i) =>
    new PeerOrg(chart, `org${i}`, { mspId: `Org${i}MSP`, peers: shape.peersPerOrg }));
  const channels = Array.from({ length: shape.channels }, (_, c) => new Channel(chart, `channel${c}`, {
    orderers,
    members: Array.from({ length: shape.membersPerChannel }, (_, m) => orgs[(c * 2 + m) % orgs.length]),
  }));
  for (let i = 0; i < shape.chaincodes; i++) {
    new ExternalChaincode(chart, `cc${i}`, { channel: channels[i % channels.length], image: 'example/chaincode:1.0.0' });
  }
  return chart;
}
