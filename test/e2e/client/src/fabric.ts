import * as grpc from '@grpc/grpc-js';
import {
  CommitError, CommitStatusError, connect, Contract, EndorseError, Gateway, GatewayError, hash, ProposalOptions, signers, StatusCode,
} from '@hyperledger/fabric-gateway';
import { OrgClient } from './dist';
import { log } from './log';

export interface Connection {
  readonly gateway: Gateway;
  readonly client: grpc.Client;
  close(): void;
}

/**
 * Opens a gRPC connection to the org's gateway peer. When `addresses` maps the peer's host to another
 * address, that address is dialled, but TLS still checks the certificate against the profile's TLS CA
 * and the peer's host name (ssl-target-name-override), so verification is never switched off.
 */
export function openConnection(org: OrgClient, addresses: ReadonlyMap<string, string>): Connection {
  const target = addresses.get(org.peer.host) ?? org.peer.url;
  const options: grpc.ChannelOptions = {
    'grpc.ssl_target_name_override': org.peer.tlsServerName,
    'grpc.default_authority': org.peer.tlsServerName,
    'grpc.keepalive_time_ms': 60_000,
  };
  log(`${org.mspId}: gateway peer ${org.peer.name}: dialling ${target}, TLS server name ${org.peer.tlsServerName}` +
    (target !== org.peer.url ? ` (address override for ${org.peer.host})` : ''));
  const client = new grpc.Client(target, grpc.credentials.createSsl(org.peer.tlsCaPem), options);
  const gateway = connect({
    client,
    identity: { mspId: org.mspId, credentials: org.certPem },
    signer: signers.newPrivateKeySigner(org.key),
    hash: hash.sha256,
    evaluateOptions: () => ({ deadline: Date.now() + 15_000 }),
    endorseOptions: () => ({ deadline: Date.now() + 30_000 }),
    submitOptions: () => ({ deadline: Date.now() + 15_000 }),
    commitStatusOptions: () => ({ deadline: Date.now() + 60_000 }),
  });
  return {
    gateway,
    client,
    close: () => {
      gateway.close();
      client.close();
    },
  };
}

const STATUS_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(StatusCode).map(([name, code]) => [code as number, name]),
);

/** The name of a transaction validation code, e.g. MVCC_READ_CONFLICT. */
export function statusName(code: number): string {
  return STATUS_NAMES[code] ?? String(code);
}

/** Multi-line description of any error thrown by the gateway client, including per-node details. */
export function describeError(err: unknown): string {
  if (err instanceof GatewayError) {
    const kind = err instanceof EndorseError ? 'endorse' : err instanceof CommitStatusError ? 'commit status'
      : err.name === 'SubmitError' ? 'submit to orderer' : 'gateway';
    const txId = (err as { transactionId?: string }).transactionId;
    const lines = [
      `${kind} failed: gRPC ${grpc.status[err.code] ?? err.code} (${err.code}): ${err.message}` + (txId ? ` [tx ${txId}]` : ''),
    ];
    if (err.details.length === 0) {
      lines.push('  (no per-node details; the gateway peer itself failed or was unreachable)');
    }
    for (const d of err.details) {
      lines.push(`  - ${d.address || '?'} (${d.mspId || '?'}): ${d.message}`);
    }
    return lines.join('\n');
  }
  if (err instanceof CommitError) {
    return `transaction ${err.transactionId} was committed as invalid: ${STATUS_NAMES[err.code] ?? err.code} (${err.code}): ${err.message}`;
  }
  if (err instanceof Error) {
    return err.stack ?? err.message;
  }
  return String(err);
}

/** One-line summary for retry log lines. */
function brief(err: unknown): string {
  if (err instanceof GatewayError) {
    const d = err.details.map((x) => `${x.address}: ${x.message}`).join('; ');
    return `${grpc.status[err.code] ?? err.code}: ${err.message}${d ? ` [${d}]` : ''}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** An error the chaincode itself returned (e.g. "asset exists"); retrying will not help. */
export function isChaincodeError(err: unknown): boolean {
  if (!(err instanceof GatewayError)) {
    return false;
  }
  const texts = [err.message, ...err.details.map((d) => d.message)];
  return texts.some((t) => /chaincode response [45]\d\d\b/.test(t));
}

/** Errors seen while the network, channel or chaincode is still coming up. */
export function isRetryable(err: unknown): boolean {
  return err instanceof GatewayError && !isChaincodeError(err);
}

export interface RetryPolicy {
  readonly deadline: number;
  readonly intervalMs: number;
}

/** Runs fn until it succeeds, fails with a non-retryable error, or the deadline passes. */
export async function withRetry<T>(
  what: string,
  policy: RetryPolicy,
  fn: (attempt: number) => Promise<T>,
  retryable: (err: unknown) => boolean = isRetryable,
): Promise<{ value: T; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await fn(attempt), attempts: attempt };
    } catch (err) {
      const left = policy.deadline - Date.now();
      if (!retryable(err) || left <= policy.intervalMs) {
        if (retryable(err)) {
          log(`${what}: giving up after ${attempt} attempt(s); the retry window is used up`);
        }
        throw err;
      }
      log(`${what}: attempt ${attempt} failed, retrying in ${policy.intervalMs / 1000}s ` +
        `(${Math.round(left / 1000)}s of retry window left): ${brief(err)}`);
      await new Promise((r) => setTimeout(r, policy.intervalMs));
    }
  }
}

export interface Submitted {
  readonly result: string;
  readonly transactionId: string;
  readonly blockNumber: bigint;
}

/** What a proposal carries besides its arguments: private data and the orgs that must endorse it. */
export interface CallOptions {
  /** transient data: sent to the endorsing peers only, never written to a block */
  readonly transientData?: Readonly<Record<string, string | Uint8Array>>;
  /** endorse on peers of exactly these orgs (MSP IDs), e.g. the members of a collection written to */
  readonly endorsingOrganizations?: readonly string[];
}

function proposalOptions(args: readonly string[], options: CallOptions): ProposalOptions {
  return {
    arguments: [...args],
    ...(options.transientData && Object.keys(options.transientData).length > 0 ? { transientData: { ...options.transientData } } : {}),
    ...(options.endorsingOrganizations && options.endorsingOrganizations.length > 0
      ? { endorsingOrganizations: [...options.endorsingOrganizations] } : {}),
  };
}

/** Evaluates fn once (no retry) and returns the result as text. */
export async function evaluate(contract: Contract, fn: string, args: readonly string[], options: CallOptions = {}): Promise<string> {
  return Buffer.from(await contract.evaluate(fn, proposalOptions(args, options))).toString('utf8');
}

/** Every message an error carries (the gateway's and each node's), for matching. */
export function errorText(err: unknown): string {
  if (err instanceof GatewayError) {
    return [err.message, ...err.details.map((d) => d.message)].join('\n');
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * Endorse + order + wait for commit. Endorsement and ordering are retried inside the policy (nothing is
 * on the ledger yet when they fail); once the orderer accepted the transaction only the commit-status
 * query is retried, so a transaction is never sent twice.
 */
export async function submit(
  contract: Contract, policy: RetryPolicy, fn: string, args: readonly string[], options: CallOptions = {},
): Promise<Submitted & { attempts: number }> {
  const { value: commit, attempts } = await withRetry(`submit ${fn}`, policy, () => contract.submitAsync(fn, proposalOptions(args, options)));
  const transactionId = commit.getTransactionId();
  const { value: status } = await withRetry(
    `commit status of ${transactionId}`,
    policy,
    () => commit.getStatus(),
    (err) => err instanceof CommitStatusError,
  );
  if (!status.successful) {
    throw new CommitError({ code: status.code, transactionId, message: `transaction ${transactionId} failed to commit` });
  }
  return {
    result: Buffer.from(commit.getResult()).toString('utf8'),
    transactionId,
    blockNumber: status.blockNumber,
    attempts,
  };
}
