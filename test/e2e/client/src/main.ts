#!/usr/bin/env node
import { performance } from 'node:perf_hooks';
import { Options, parseArgs, USAGE } from './args';
import { loadObjects, loadOrgClient, OrgClient } from './dist';
import { CliError, EXIT_ASSERTION, EXIT_FABRIC, EXIT_OK, EXIT_USAGE } from './errors';
import { GatewayError } from '@hyperledger/fabric-gateway';
import { describeError, openConnection, RetryPolicy, submit, withRetry } from './fabric';
import { log, step } from './log';

interface AssetJson {
  ID?: unknown;
  Color?: unknown;
  Size?: unknown;
  Owner?: unknown;
  AppraisedValue?: unknown;
}

function policyFrom(opts: Options): RetryPolicy {
  return { deadline: Date.now() + opts.retrySeconds * 1000, intervalMs: opts.retryIntervalSeconds * 1000 };
}

async function scenario(opts: Options): Promise<void> {
  const objects = loadObjects(opts.dist);
  const org1 = loadOrgClient(objects, opts.org1, opts.namespace);
  const org2 = loadOrgClient(objects, opts.org2, opts.namespace);
  log(`inputs from ${opts.dist}: ${org1.label}; ${org2.label}`);
  const assetId = opts.assetId ?? `asset-e2e-${Date.now().toString(36)}`;
  const expected = { ID: assetId, Color: 'blue', Size: 5, Owner: 'Bob', AppraisedValue: 1300 };
  log(`scenario: channel ${opts.channel}, chaincode ${opts.chaincode}, asset id ${assetId}`);

  const start = performance.now();
  const policy = policyFrom(opts);
  const c1 = openConnection(org1, opts.peerAddresses);
  const c2 = openConnection(org2, opts.peerAddresses);
  try {
    const contract1 = c1.gateway.getNetwork(opts.channel).getContract(opts.chaincode);
    const created = await step(`${org1.mspId}: submit CreateAsset(${assetId}, blue, 5, Alice, 1300)`, () =>
      submit(contract1, policy, 'CreateAsset', [assetId, 'blue', '5', 'Alice', '1300']));
    log(`${org1.mspId}: CreateAsset committed in block ${created.blockNumber}, tx ${created.transactionId}`);
    log(`first committed transaction ${((performance.now() - start) / 1000).toFixed(3)}s after the scenario started ` +
      `(${created.attempts} attempt(s))`);

    const transferred = await step(`${org1.mspId}: submit TransferAsset(${assetId}, Bob)`, () =>
      submit(contract1, policy, 'TransferAsset', [assetId, 'Bob']));
    log(`${org1.mspId}: TransferAsset committed in block ${transferred.blockNumber}, tx ${transferred.transactionId}, ` +
      `previous owner "${transferred.result}"`);
    if (transferred.result !== 'Alice') {
      throw new CliError(`TransferAsset returned previous owner "${transferred.result}", expected "Alice"`, EXIT_ASSERTION);
    }

    // Org2's peer may commit the block a moment after Org1's peer reported it: retry briefly until it shows.
    const contract2 = c2.gateway.getNetwork(opts.channel).getContract(opts.chaincode);
    const readPolicy: RetryPolicy = { deadline: Math.min(policy.deadline, Date.now() + 30_000), intervalMs: 1000 };
    const { value: asset } = await step(`${org2.mspId}: evaluate ReadAsset(${assetId})`, () =>
      withRetry(`${org2.mspId}: ReadAsset`, readPolicy, async () => {
        const bytes = await contract2.evaluateTransaction('ReadAsset', assetId);
        const text = Buffer.from(bytes).toString('utf8');
        const parsed = JSON.parse(text) as AssetJson;
        if (parsed.Owner !== 'Bob') {
          throw new NotYetError(`${org2.mspId} still sees owner ${JSON.stringify(parsed.Owner)}: ${text}`);
        }
        return parsed;
      }, (err) => err instanceof NotYetError || err instanceof GatewayError));
    log(`${org2.mspId}: ReadAsset returned ${JSON.stringify(asset)}`);
    const wrong = Object.entries(expected).filter(([k, v]) => (asset as Record<string, unknown>)[k] !== v);
    if (wrong.length > 0) {
      throw new CliError(`ReadAsset as ${org2.mspId} does not match: ` +
        wrong.map(([k, v]) => `${k} is ${JSON.stringify((asset as Record<string, unknown>)[k])}, want ${JSON.stringify(v)}`).join('; '),
      EXIT_ASSERTION);
    }
    log(`PASS: ${org1.mspId} created and transferred ${assetId}; ${org2.mspId} reads owner Bob ` +
      `(scenario took ${((performance.now() - start) / 1000).toFixed(3)}s)`);
  } finally {
    c1.close();
    c2.close();
  }
}

class NotYetError extends Error {}

async function single(opts: Options, kind: 'evaluate' | 'submit'): Promise<void> {
  if (!opts.fn) {
    throw new CliError(`${kind} needs --fn <transaction name>`, EXIT_USAGE);
  }
  const org: OrgClient = loadOrgClient(loadObjects(opts.dist), opts.org ?? opts.org1, opts.namespace);
  const conn = openConnection(org, opts.peerAddresses);
  try {
    const contract = conn.gateway.getNetwork(opts.channel).getContract(opts.chaincode);
    const label = `${org.mspId}: ${kind} ${opts.fn}(${opts.fnArgs.join(', ')})`;
    if (kind === 'evaluate') {
      const bytes = await step(label, () => contract.evaluateTransaction(opts.fn!, ...opts.fnArgs));
      process.stdout.write(`${Buffer.from(bytes).toString('utf8')}\n`);
    } else {
      const r = await step(label, () => submit(contract, policyFrom(opts), opts.fn!, opts.fnArgs));
      log(`committed in block ${r.blockNumber}, tx ${r.transactionId}`);
      process.stdout.write(`${r.result}\n`);
    }
  } finally {
    conn.close();
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const opts = parseArgs(argv);
  switch (opts.command) {
    case 'help':
      process.stdout.write(USAGE);
      return EXIT_OK;
    case 'scenario':
      await scenario(opts);
      return EXIT_OK;
    case 'evaluate':
    case 'submit':
      await single(opts, opts.command);
      return EXIT_OK;
    default:
      throw new CliError(`unknown command "${opts.command}"\n${USAGE}`, EXIT_USAGE);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof CliError) {
      process.stderr.write(`FAIL: ${err.message}\n`);
      process.exitCode = err.exitCode;
    } else {
      process.stderr.write(`FAIL: ${describeError(err)}\n`);
      process.exitCode = EXIT_FABRIC;
    }
  },
);
