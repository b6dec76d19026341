import { App } from 'cdk8s';
import { Channel, ExternalChaincode, FabricChart, FabricChartProps, Orderer, PeerOrg } from '../../lib';

/** Image of the reference asset-transfer chaincode server (built by the end-to-end kit). */
export const BASIC_CHAINCODE_IMAGE = 'hyperkube/asset-transfer-basic:1.0.0';

/** Options of the reference network. */
export interface TestNetworkOptions extends FabricChartProps {
  /** @default BASIC_CHAINCODE_IMAGE */
  readonly chaincodeImage?: string;
  /**
   * Whether peers reach the chaincode servers over TLS. Imported identities turn it off unless the
   * crypto folder holds a TLS pair for each chaincode server.
   * @default true
   */
  readonly chaincodeTls?: boolean;
}

/**
 * The reference network, the counterpart of Fabric's test-network: one ordering organization with
 * three Raft consenters, Org1 and Org2 with one peer each, channel `mychannel` and chaincode `basic`.
 */
export class TestNetwork extends FabricChart {
  public readonly orderer: Orderer;
  public readonly org1: PeerOrg;
  public readonly org2: PeerOrg;
  public readonly channel: Channel;
  public readonly basic: ExternalChaincode;

  public constructor(app: App, id: string, options: TestNetworkOptions = {}) {
    super(app, id, options);
    this.orderer = new Orderer(this, 'orderer', { mspId: 'OrdererMSP', consenters: 3 });
    this.org1 = new PeerOrg(this, 'org1', { mspId: 'Org1MSP' });
    this.org2 = new PeerOrg(this, 'org2', { mspId: 'Org2MSP' });
    this.channel = new Channel(this, 'mychannel', { orderers: [this.orderer], members: [this.org1, this.org2] });
    this.basic = new ExternalChaincode(this, 'basic', {
      channel: this.channel,
      image: options.chaincodeImage ?? BASIC_CHAINCODE_IMAGE,
      version: '1.0',
      tls: options.chaincodeTls,
    });
  }
}
