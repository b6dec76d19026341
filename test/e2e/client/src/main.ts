#!/usr/bin/env node
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Options, parseArgs, USAGE } from './args';
import { loadObjects, loadOrgClient, OrgClient } from './dist';
import { loadOrgClientFromEnv } from './env';
import { CliError, EXIT_ASSERTION, EXIT_FABRIC, EXIT_OK, EXIT_USAGE } from './errors';
import { CommitStatusError, Contract, GatewayError, StatusCode } from '@hyperledger/fabric-gateway';
import {
  CallOptions, describeError, errorText, evaluate, isChaincodeError, openConnection, RetryPolicy, statusName, submit, withRetry,
} from './fabric';
import { log, step } from './log';

interface AssetJson {
  ID?: unknown;
  Color?: unknown;
  Size?: unknown;
  Owner?: unknown;
  AppraisedValue?: unknown;
}

/** The manifests folder, which `command` needs: it acts as several organizations. */
function requireDist(opts: Options, command: string): string {
  if (opts.dist === undefined) {
    throw new CliError(`${command} acts as several organizations and reads them from the manifests: pass --dist <dir> (or set HYPERKUBE_DIST). Only load, evaluate and submit can read one organization from the environment.`, EXIT_USAGE);
  }
  return opts.dist;
}

/** The org client of `prefix` from the manifests, or without --dist the one the environment names. */
function orgClient(opts: Options, prefix: string): OrgClient {
  return opts.dist === undefined ? loadOrgClientFromEnv(process.env) : loadOrgClient(loadObjects(opts.dist), prefix, opts.namespace);
}

function policyFrom(opts: Options): RetryPolicy {
  return { deadline: Date.now() + opts.retrySeconds * 1000, intervalMs: opts.retryIntervalSeconds * 1000 };
}

async function scenario(opts: Options): Promise<void> {
  const dist = requireDist(opts, 'scenario');
  const objects = loadObjects(dist);
  const org1 = loadOrgClient(objects, opts.org1, opts.namespace);
  const org2 = loadOrgClient(objects, opts.org2, opts.namespace);
  log(`inputs from ${dist}: ${org1.label}; ${org2.label}`);
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
    // This is not the readiness the retry window is about, so it has its own bound.
    const readPolicy: RetryPolicy = { deadline: Date.now() + 30_000, intervalMs: 1000 };
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

/** Fabric's refusal of a private data read to an org outside the collection (memberOnlyRead). */
const READ_REFUSAL = /does not have read access permission on privatedata/;

/**
 * Private data: Org1 writes a value to a collection, with the value in the transient map and only the
 * collection's members endorsing; Org2 (a member) reads it back; the outsider is refused the value,
 * yet its peers hold the value's hash.
 */
async function privateScenario(opts: Options): Promise<void> {
  if (!opts.collection) {
    throw new CliError('private needs --collection <name>', EXIT_USAGE);
  }
  if (!opts.outsider) {
    throw new CliError('private needs --outsider <org prefix> (an org that is not a member of the collection)', EXIT_USAGE);
  }
  const collection = opts.collection;
  const dist = requireDist(opts, 'private');
  const objects = loadObjects(dist);
  const writer = loadOrgClient(objects, opts.org1, opts.namespace);
  const member = loadOrgClient(objects, opts.org2, opts.namespace);
  const outsider = loadOrgClient(objects, opts.outsider, opts.namespace);
  log(`inputs from ${dist}: ${writer.label}; ${member.label}; ${outsider.label}`);
  const key = opts.assetId ?? `terms-e2e-${Date.now().toString(36)}`;
  const value = JSON.stringify({ amount: 1250000, currency: 'EUR', key, nonce: crypto.randomBytes(8).toString('hex'), terms: '90 days' });
  const valueHash = crypto.createHash('sha256').update(value).digest('hex');
  log(`private scenario: channel ${opts.channel}, chaincode ${opts.chaincode}, collection ${collection}, key ${key}`);

  const start = performance.now();
  const policy = policyFrom(opts);
  const connections = [writer, member, outsider].map((org) => openConnection(org, opts.peerAddresses));
  try {
    const [cw, cm, co] = connections.map((c) => c.gateway.getNetwork(opts.channel).getContract(opts.chaincode));
    const endorsers = [writer.mspId, member.mspId];
    const written = await step(`${writer.mspId}: submit WritePrivate(${collection}, ${key}), value in the transient map, ` +
      `endorsed by ${endorsers.join(' and ')} only`, () =>
      submit(cw, policy, 'WritePrivate', [collection, key], { transientData: { value }, endorsingOrganizations: endorsers }));
    log(`${writer.mspId}: WritePrivate committed in block ${written.blockNumber}, tx ${written.transactionId}`);
    log(`first private write committed ${((performance.now() - start) / 1000).toFixed(3)}s after the scenario started ` +
      `(${written.attempts} attempt(s))`);

    // The member's gateway peer may get the private data a moment after the block: retry "no private
    // value" briefly. A refusal is final.
    // This is not the readiness the retry window is about, so it has its own bound.
    const readPolicy: RetryPolicy = { deadline: Date.now() + 30_000, intervalMs: 1000 };
    let got: string;
    try {
      ({ value: got } = await step(`${member.mspId}: evaluate ReadPrivate(${collection}, ${key})`, () =>
        withRetry(`${member.mspId}: ReadPrivate`, readPolicy, () => evaluate(cm, 'ReadPrivate', [collection, key]),
          (err) => err instanceof GatewayError && !READ_REFUSAL.test(errorText(err))
            && (!isChaincodeError(err) || /no private value/.test(errorText(err))))));
    } catch (err) {
      throw new CliError(`${member.mspId} is a member of ${collection} but could not read ${key}:\n${describeError(err)}`, EXIT_ASSERTION);
    }
    if (got !== value) {
      throw new CliError(`${member.mspId} read ${JSON.stringify(got)} from ${collection}/${key}, want ${JSON.stringify(value)}`, EXIT_ASSERTION);
    }
    log(`${member.mspId}: ReadPrivate returned the value ${writer.mspId} wrote`);

    let leaked: string | undefined;
    let refusal: unknown;
    try {
      leaked = await step(`${outsider.mspId}: evaluate ReadPrivate(${collection}, ${key}), must be refused`, () =>
        evaluate(co, 'ReadPrivate', [collection, key]));
    } catch (err) {
      refusal = err;
    }
    if (leaked !== undefined) {
      throw new CliError(`${outsider.mspId} is not a member of ${collection}, yet ReadPrivate gave it the value: ${leaked}`, EXIT_ASSERTION);
    }
    if (!READ_REFUSAL.test(errorText(refusal))) {
      throw new CliError(`${outsider.mspId}'s ReadPrivate failed, but not with Fabric's refusal to non-members ` +
        `("tx creator does not have read access permission on privatedata"):\n${describeError(refusal)}`, EXIT_ASSERTION);
    }
    log(`${outsider.mspId}: refused, as a non-member must be: ` +
      `${errorText(refusal).split('\n').find((line) => READ_REFUSAL.test(line))?.trim()}`);

    const { value: hash } = await step(`${outsider.mspId}: evaluate ReadPrivateHash(${collection}, ${key})`, () =>
      withRetry(`${outsider.mspId}: ReadPrivateHash`, readPolicy, () => evaluate(co, 'ReadPrivateHash', [collection, key]),
        (err) => err instanceof GatewayError));
    if (hash !== valueHash) {
      throw new CliError(`${outsider.mspId} sees hash ${hash} for ${collection}/${key}, want sha256 of the value, ${valueHash}`, EXIT_ASSERTION);
    }
    log(`${outsider.mspId}: ReadPrivateHash returned the value's sha256 ${hash.slice(0, 16)}...: its peers hold the hash, not the value`);
    log(`PASS: ${writer.mspId} wrote ${collection}/${key} (endorsed by ${endorsers.join(', ')}); ${member.mspId} reads it; ` +
      `${outsider.mspId} is refused (scenario took ${((performance.now() - start) / 1000).toFixed(3)}s)`);
  } finally {
    connections.forEach((c) => c.close());
  }
}

/**
 * Fabric invalidates a transaction endorsed under one chaincode definition and validated after the
 * next is committed: its read of the definition conflicts (MVCC_READ_CONFLICT), or its endorsements
 * no longer satisfy the new policy. That is Fabric's answer to any definition change, not a gap in
 * serving; an application resubmits such a transaction, and so does the load.
 */
const DEFINITION_RACE = new Set<number>([StatusCode.MVCC_READ_CONFLICT, StatusCode.ENDORSEMENT_POLICY_FAILURE]);

/** How one transaction of the load ended. */
type LoadOutcome = { committed: true; block: bigint } | { committed: false; resubmit: boolean; reason: string };

async function submitOnce(contract: Contract, assetId: string): Promise<LoadOutcome> {
  let commit;
  try {
    commit = await contract.submitAsync('CreateAsset', { arguments: [assetId, 'green', '1', 'Load', '1'] });
  } catch (err) {
    // Endorsement failures are what an upgrade gap looks like: they are never resubmitted. An
    // orderer that did not take the transaction leaves nothing on the ledger: resubmitting is safe.
    return { committed: false, resubmit: err instanceof GatewayError && err.name === 'SubmitError', reason: describeError(err) };
  }
  const policy: RetryPolicy = { deadline: Date.now() + 60_000, intervalMs: 1000 };
  const { value: status } = await withRetry(`commit status of ${commit.getTransactionId()}`, policy, () => commit.getStatus(),
    (err) => err instanceof CommitStatusError);
  if (status.successful) {
    return { committed: true, block: status.blockNumber };
  }
  return { committed: false, resubmit: DEFINITION_RACE.has(status.code), reason: `transaction ${commit.getTransactionId()} committed as invalid: ${statusName(status.code)}` };
}

/**
 * Submits CreateAsset as --org1, one transaction after another, until --stop-file exists, the time
 * is up or SIGTERM comes (a pod being stopped). Each transaction gets one resubmission when Fabric
 * invalidated it for a definition change that raced it, or when no orderer took it; any other
 * failure, above all a failed endorsement, fails the load, which then waits --retry-interval
 * before the next transaction rather than spin on a network that is not there.
 */
async function load(opts: Options): Promise<void> {
  const org = orgClient(opts, opts.org1);
  let terminated = false;
  process.once('SIGTERM', () => {
    terminated = true;
    log('load: SIGTERM, stopping after this transaction');
  });
  const conn = openConnection(org, opts.peerAddresses);
  const contract = conn.gateway.getNetwork(opts.channel).getContract(opts.chaincode);
  const started = performance.now();
  const deadline = Date.now() + opts.maxSeconds * 1000;
  const prefix = `load-${Date.now().toString(36)}`;
  let transactions = 0;
  let firstTry = 0;
  const resubmitted: string[] = [];
  const failed: string[] = [];
  const until = [opts.stopFile, Number.isFinite(opts.maxSeconds) ? `${opts.maxSeconds}s pass` : undefined, 'SIGTERM'].filter(Boolean).join(', ');
  log(`load: ${org.label} submits CreateAsset on ${opts.channel}/${opts.chaincode} until ${until}`);
  try {
    while (!terminated && !(opts.stopFile && fs.existsSync(opts.stopFile)) && Date.now() < deadline) {
      transactions++;
      const assetId = `${prefix}-${transactions}`;
      const first = await submitOnce(contract, assetId);
      if (first.committed) {
        firstTry++;
        log(`load: ${assetId} committed in block ${first.block}`);
        continue;
      }
      if (!first.resubmit) {
        failed.push(`${assetId}: ${first.reason}`);
        log(`load: ${assetId} FAILED: ${first.reason}`);
        await new Promise((resolve) => setTimeout(resolve, opts.retryIntervalSeconds * 1000));
        continue;
      }
      log(`load: ${assetId} resubmitted: ${first.reason}`);
      const second = await submitOnce(contract, assetId);
      if (second.committed) {
        resubmitted.push(first.reason.replace(/^transaction \S+ /, ''));
        log(`load: ${assetId} committed in block ${second.block} when resubmitted`);
      } else {
        failed.push(`${assetId}: ${first.reason}; then ${second.reason}`);
        log(`load: ${assetId} FAILED on resubmission: ${second.reason}`);
      }
    }
  } finally {
    conn.close();
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  log(`load summary: ${transactions} transactions in ${seconds}s: ${firstTry} committed at the first submit, ` +
    `${resubmitted.length} committed when resubmitted${resubmitted.length > 0 ? ` (${[...new Set(resubmitted)].join('; ')})` : ''}, ` +
    `${failed.length} failed`);
  if (transactions === 0) {
    throw new CliError('load: no transaction was submitted', EXIT_ASSERTION);
  }
  if (failed.length > 0) {
    throw new CliError(`load: ${failed.length} of ${transactions} transactions failed:\n${failed.join('\n')}`, EXIT_ASSERTION);
  }
}

async function single(opts: Options, kind: 'evaluate' | 'submit'): Promise<void> {
  if (!opts.fn) {
    throw new CliError(`${kind} needs --fn <transaction name>`, EXIT_USAGE);
  }
  const org = orgClient(opts, opts.org ?? opts.org1);
  const conn = openConnection(org, opts.peerAddresses);
  try {
    const contract = conn.gateway.getNetwork(opts.channel).getContract(opts.chaincode);
    const options: CallOptions = { transientData: Object.fromEntries(opts.transient), endorsingOrganizations: opts.endorsingOrgs };
    const label = `${org.mspId}: ${kind} ${opts.fn}(${opts.fnArgs.join(', ')})` +
      (opts.transient.size > 0 ? `, transient ${[...opts.transient.keys()].join(', ')}` : '') +
      (opts.endorsingOrgs.length > 0 ? `, endorsed by ${opts.endorsingOrgs.join(', ')}` : '');
    let output: string;
    try {
      if (kind === 'evaluate') {
        output = await step(label, () => evaluate(contract, opts.fn!, opts.fnArgs, options));
      } else {
        // With --expect-error a refusal is the answer wanted: make a single attempt.
        const policy = opts.expectError ? { deadline: 0, intervalMs: 0 } : policyFrom(opts);
        const r = await step(label, () => submit(contract, policy, opts.fn!, opts.fnArgs, options));
        log(`committed in block ${r.blockNumber}, tx ${r.transactionId}`);
        output = r.result;
      }
    } catch (err) {
      if (opts.expectError && opts.expectError.test(errorText(err))) {
        log(`failed as expected (/${opts.expectError.source}/): ${errorText(err).split('\n').find((l) => opts.expectError!.test(l))?.trim()}`);
        return;
      }
      throw err;
    }
    if (opts.expectError) {
      throw new CliError(`${label} succeeded, but a failure matching /${opts.expectError.source}/ was expected; it returned: ${output}`, EXIT_ASSERTION);
    }
    process.stdout.write(`${output}\n`);
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
    case 'private':
      await privateScenario(opts);
      return EXIT_OK;
    case 'evaluate':
    case 'submit':
      await single(opts, opts.command);
      return EXIT_OK;
    case 'load':
      await load(opts);
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
