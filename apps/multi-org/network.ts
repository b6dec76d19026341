import { App } from 'cdk8s';
import { Channel, EndorsementPolicy, ExternalChaincode, FabricChart, FabricChartProps, Orderer, PeerOrg } from '../../lib';
import { BASIC_CHAINCODE_IMAGE } from '../test-network/network';

/**
 * A larger network that exercises what the reference one does not: three peer organizations with
 * two peers each, Raft consenters from two ordering organizations, two channels with different
 * members, and a chaincode on each channel.
 */
export class MultiOrgNetwork extends FabricChart {
  public constructor(app: App, id: string, props: FabricChartProps = {}) {
    super(app, id, { namespace: 'fabric-multi', ...props });
    const ordererA = new Orderer(this, 'ord-a', { mspId: 'OrdererAMSP', consenters: 3 });
    const ordererB = new Orderer(this, 'ord-b', { mspId: 'OrdererBMSP', consenters: 2 });
    const [bank, shipper, insurer] = ['bank', 'shipper', 'insurer'].map((name, index) =>
      new PeerOrg(this, name, { mspId: `${name[0].toUpperCase()}${name.slice(1)}MSP`, peers: 2, anchorPeers: index === 0 ? [0, 1] : [0] }));
    const trade = new Channel(this, 'trade', { orderers: [ordererA, ordererB], members: [bank, shipper, insurer] });
    const claims = new Channel(this, 'claims', { orderers: [ordererB], members: [bank, insurer] });
    new ExternalChaincode(this, 'letters', {
      channel: trade,
      image: BASIC_CHAINCODE_IMAGE,
      endorsementPolicy: EndorsementPolicy.signature("OutOf(2, 'BankMSP.peer', 'ShipperMSP.peer', 'InsurerMSP.peer')"),
      collections: [{ name: 'bankShipperTerms', policy: "OR('BankMSP.member', 'ShipperMSP.member')", requiredPeerCount: 1, maxPeerCount: 2 }],
    });
    new ExternalChaincode(this, 'policies', {
      channel: claims,
      image: BASIC_CHAINCODE_IMAGE,
      version: '2.1',
      endorsementPolicy: EndorsementPolicy.signature("AND('BankMSP.peer', 'InsurerMSP.peer')"),
      replicas: 2,
    });
  }
}
