import { Command, Option } from 'commander';
import { KubernetesCluster } from './kubernetes-cluster';
import { networkStatus } from './status';
import { statusTable } from './status-table';

/** `hyperkube status`: nodes, channel heights, chaincode definitions and Jobs, at a glance. */
export function registerStatus(program: Command): void {
  program.command('status')
    .description('Show the network\'s nodes, the height of each channel on every node, the committed chaincodes and the Jobs.')
    .option('-n, --namespace <namespace>', 'the network\'s namespace (default: the context\'s, else fabric)')
    .option('--context <context>', 'kubeconfig context (default: the current one)')
    .addOption(new Option('-o, --output <format>', 'table for people, json for scripts').choices(['table', 'json']).default('table'))
    .action(async (options: { namespace?: string; context?: string; output: string }) => {
      const cluster = KubernetesCluster.fromKubeconfig(options.context);
      const status = await networkStatus(cluster, options.namespace ?? cluster.defaultNamespace);
      process.stdout.write(options.output === 'json' ? `${JSON.stringify(status, undefined, 2)}\n` : statusTable(status));
    });
}
