import { Construct } from 'constructs';
import {
  Channel, EndorsementPolicy, ExternalChaincode, FabricChart, FabricChartProps, Orderer, PeerOrg,
} from 'hyperkube';

/** A maker and a shop that share one channel and one chaincode. */
export class SupplyChart extends FabricChart {
  public readonly orders: ExternalChaincode;

  public constructor(scope: Construct, id: string, props: FabricChartProps = {}) {
    super(scope, id, {
      namespace: 'supply',
      ...props,
    });
    const orderer = new Orderer(this, 'orderer', { mspId: 'OrdererMSP', consenters: 3 });
    const maker = new PeerOrg(this, 'maker', { mspId: 'MakerMSP', peers: 2 });
    const shop = new PeerOrg(this, 'shop', { mspId: 'ShopMSP' });
    const channel = new Channel(this, 'orders', { orderers: [orderer], members: [maker, shop] });
    this.orders = new ExternalChaincode(this, 'orders-cc', {
      channel,
      image: 'registry.example.com/orders-cc:1.4.0',
      version: '1.4.0', // change it with the image and re-apply: the Jobs commit the next sequence
      endorsementPolicy: EndorsementPolicy.signature("AND('MakerMSP.peer', 'ShopMSP.peer')"),
    });
  }
}
