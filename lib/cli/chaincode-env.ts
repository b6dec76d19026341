import { ChaincodeModel, NetworkModel } from '../model/network-model';

/**
 * The environment of a chaincode server that runs outside the cluster, at the `serverAddress` of
 * chaincode `name`, as `KEY=value` lines: the package ID the peers ask for (CHAINCODE_ID) and the
 * address to listen on (CHAINCODE_SERVER_ADDRESS, every interface, the address's port).
 */
export function chaincodeServerEnv(model: NetworkModel, name: string, channel?: string): string {
  const chaincode = findChaincode(model, name, channel);
  if (!chaincode.serverAddress) {
    throw new Error(`chaincode ${name} on channel ${chaincode.channel} runs in the cluster (${chaincode.servers.join(', ')}). `
      + `To run its server yourself, give it serverAddress: 'host:port' instead of image in the app, synthesize and apply.`);
  }
  const port = chaincode.serverAddress.slice(chaincode.serverAddress.lastIndexOf(':') + 1);
  // Every org's package points at the one address without TLS, so the packages, and their IDs, are the same.
  return [`CHAINCODE_ID=${chaincode.packageIds[0]}`, `CHAINCODE_SERVER_ADDRESS=0.0.0.0:${port}`, ''].join('\n');
}

function findChaincode(model: NetworkModel, name: string, channel?: string): ChaincodeModel {
  const named = model.chaincodes.filter((chaincode) => chaincode.name === name);
  const matching = named.filter((chaincode) => channel === undefined || chaincode.channel === channel);
  const described = model.chaincodes.map((chaincode) => `${chaincode.name} on ${chaincode.channel}`).join(', ') || 'none';
  if (matching.length === 0) {
    throw new Error(`network ${model.network} has no chaincode ${name}${channel === undefined ? '' : ` on channel ${channel}`}; its chaincodes: ${described}.`);
  }
  if (matching.length > 1) {
    throw new Error(`chaincode ${name} is on channels ${matching.map((chaincode) => chaincode.channel).join(', ')}; choose one with --channel <name>.`);
  }
  return matching[0];
}
