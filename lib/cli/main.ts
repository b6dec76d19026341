#!/usr/bin/env node
import { Command } from 'commander';
import { registerChaincodeEnv } from './chaincode-env-command';
import { registerDiagram } from './diagram-command';
import { registerExport } from './export-command';
import { registerStatus } from './status-command';
import { registerWait } from './wait-command';

/**
 * `hyperkube`: watch, wait for and export from a network that Hyperkube's manifests brought up,
 * through the Kubernetes API with the current kubeconfig context; and, from `dist/` without a
 * cluster, draw the network an app describes and set up a chaincode server run outside the cluster.
 */
export function program(): Command {
  const cli = new Command('hyperkube')
    .description('Watch, wait for, export from and draw Hyperledger Fabric networks made by Hyperkube.')
    .showHelpAfterError();
  registerStatus(cli);
  registerWait(cli);
  registerExport(cli);
  registerDiagram(cli);
  registerChaincodeEnv(cli);
  return cli;
}

if (require.main === module) {
  program().parseAsync(process.argv).catch((error: Error) => {
    process.stderr.write(`hyperkube: ${error.message}\n`);
    process.exitCode = 1;
  });
}
