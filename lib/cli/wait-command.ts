import { Command, Option } from 'commander';
import { KubernetesCluster } from './kubernetes-cluster';
import { BarDisplay, LineDisplay } from './progress-display';
import { waitForJobs } from './wait';

/** `hyperkube wait`: until every Job of the network has completed. */
export function registerWait(program: Command): void {
  program.command('wait')
    .description('Wait until every Job of the network has completed; on a failed or stuck Job, exit 1 and print why.')
    .option('-n, --namespace <namespace>', 'the network\'s namespace (default: the context\'s, else fabric)')
    .option('--context <context>', 'kubeconfig context (default: the current one)')
    .addOption(new Option('--timeout <seconds>', 'give up after this long').default(900).argParser(positiveInteger))
    .action(async (options: { namespace?: string; context?: string; timeout: number }) => {
      const cluster = KubernetesCluster.fromKubeconfig(options.context);
      const namespace = options.namespace ?? cluster.defaultNamespace;
      const display = process.stderr.isTTY ? new BarDisplay(process.stderr) : new LineDisplay((line) => process.stderr.write(`hyperkube wait: ${line}\n`));
      const result = await waitForJobs(cluster, { namespace, timeoutSeconds: options.timeout, display });
      if (!result.ok) {
        throw new Error(`the network in ${namespace} is not up after ${result.elapsedSeconds}s:\n${result.explanation.join('\n')}`);
      }
      process.stdout.write(`all ${result.jobs.length} Jobs in ${namespace} complete after ${result.elapsedSeconds}s\n`);
    });
}

/** A command-line number of seconds, refused unless a positive integer. */
export function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) {
    throw new Error(`expected a positive whole number of seconds, got "${value}"`);
  }
  return number;
}
