import { Command } from 'commander';
import { chaincodeServerEnv } from './chaincode-env';
import { modelFromDist } from './dist-model';

/** What `hyperkube chaincode-env` is asked for. */
interface ChaincodeEnvOptions {
  readonly dist: string;
  readonly network?: string;
  readonly channel?: string;
}

/** `hyperkube chaincode-env <chaincode>`: the env of a chaincode server run outside the cluster. */
export function registerChaincodeEnv(program: Command): void {
  program.command('chaincode-env')
    .description('Print CHAINCODE_ID and CHAINCODE_SERVER_ADDRESS for a chaincode server you run yourself at the chaincode\'s serverAddress, read from the manifests `cdk8s synth` wrote; no cluster needed.')
    .argument('<chaincode>', 'the chaincode, by name (basic)')
    .option('--dist <dir>', 'the folder of the synthesized manifests (*.k8s.yaml)', 'dist')
    .option('--network <name>', 'the network, when the folder holds several')
    .option('--channel <name>', 'the channel, when the chaincode is on several')
    .action((name: string, options: ChaincodeEnvOptions) => {
      process.stdout.write(chaincodeServerEnv(modelFromDist(options.dist, options.network), name, options.channel));
    });
}
