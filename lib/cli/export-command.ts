import { Command } from 'commander';
import { exportIdentity } from './export';
import { KubernetesCluster } from './kubernetes-cluster';

/** `hyperkube export <org>`: what a gateway application needs, into a folder. */
export function registerExport(program: Command): void {
  program.command('export')
    .description('Write the connection profile, a user\'s certificate and key, and the TLS CA of a peer organization into a folder.')
    .argument('<org>', 'the peer organization, by name (org1)')
    .requiredOption('--out <dir>', 'the folder to write')
    .option('--user <name>', 'the client user', 'user1')
    .option('-n, --namespace <namespace>', 'the network\'s namespace (default: the context\'s, else fabric)')
    .option('--context <context>', 'kubeconfig context (default: the current one)')
    .action(async (org: string, options: { out: string; user: string; namespace?: string; context?: string }) => {
      const cluster = KubernetesCluster.fromKubeconfig(options.context);
      const namespace = options.namespace ?? cluster.defaultNamespace;
      const exported = await exportIdentity(cluster, namespace, org, options.user, options.out);
      process.stdout.write(`${options.user} of ${exported.mspId} written to ${options.out}:\n${exported.files.map((file) => `  ${file}`).join('\n')}\n`);
    });
}
