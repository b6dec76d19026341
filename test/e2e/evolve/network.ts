import { App, Duration } from 'cdk8s';
import { Channel, EndorsementPolicy, ExternalChaincode, FabricChart, Orderer, PeerOrg } from '../../../lib';
import { TestNetwork } from '../../../apps/test-network/network';

/** The image of the upgraded chaincode; the e2e tags the reference image under this name. */
export const UPGRADED_CHAINCODE_IMAGE = 'hyperkube/asset-transfer-basic:1.1.0';

/** The versions of the app the evolve scenario applies in turn to one cluster. */
export type EvolveStep = 'v1' | 'v2' | 'v3' | 'v4' | 'dev' | 'v5';

/**
 * v2 and v3 of the reference network. v2: Org3 (two peers) joins `mychannel` and runs `basic`;
 * Org1 gets a second peer; a second ordering organization adds two consenters; the batch timeout
 * changes; `basic` gets a new endorsement policy, version and image, with no sequence written.
 * v3: Org2 leaves the channel and the chaincode (its peers keep running).
 * v4: v3 with `basic` pinned to sequence 1, below the committed one: a change the Jobs refuse.
 * dev: v3 with `basic` served by a process outside the cluster, at EVOLVE_DEV_ADDRESS.
 * v5: v3 without `basic`: its servers stop.
 */
export class EvolvedNetwork extends FabricChart {
  public constructor(app: App, id: string, step: Exclude<EvolveStep, 'v1'>) {
    super(app, id);
    const orderer = new Orderer(this, 'orderer', { mspId: 'OrdererMSP', consenters: 3 });
    const orderer2 = new Orderer(this, 'orderer2', { mspId: 'Orderer2MSP', consenters: 2 });
    const org1 = new PeerOrg(this, 'org1', { mspId: 'Org1MSP', peers: 2 });
    const org2 = new PeerOrg(this, 'org2', { mspId: 'Org2MSP' });
    const org3 = new PeerOrg(this, 'org3', { mspId: 'Org3MSP', peers: 2 });
    const channel = new Channel(this, 'mychannel', {
      orderers: [orderer, orderer2],
      members: step === 'v2' ? [org1, org2, org3] : [org1, org3],
      batchTimeout: Duration.seconds(1),
    });
    if (step === 'v5') {
      return;
    }
    new ExternalChaincode(this, 'basic', {
      channel,
      ...(step === 'dev' ? { serverAddress: devServerAddress() } : { image: UPGRADED_CHAINCODE_IMAGE }),
      version: '1.1',
      endorsementPolicy: EndorsementPolicy.signature("AND('Org1MSP.peer','Org3MSP.peer')"),
      sequence: step === 'v4' ? 1 : undefined,
    });
  }
}

/** Where the dev step's chaincode server listens, outside the cluster. */
function devServerAddress(): string {
  const address = process.env.EVOLVE_DEV_ADDRESS;
  if (!address) {
    throw new Error('EVOLVE_DEV_ADDRESS must name the host:port of the chaincode server for the dev step');
  }
  return address;
}

/** Builds version `step` of the network into `app`; v1 is the reference network itself. */
export function buildEvolveStep(app: App, step: EvolveStep): FabricChart {
  return step === 'v1' ? new TestNetwork(app, 'test-network') : new EvolvedNetwork(app, 'test-network', step);
}
