import { usageError } from './errors';

export interface Options {
  readonly command: string;
  /** Where the manifests are; without it, load, evaluate and submit read one org from the environment. */
  readonly dist?: string;
  readonly namespace?: string;
  readonly channel: string;
  readonly chaincode: string;
  readonly org1: string;
  readonly org2: string;
  readonly peerAddresses: ReadonlyMap<string, string>;
  readonly assetId?: string;
  readonly retrySeconds: number;
  readonly retryIntervalSeconds: number;
  readonly org?: string;
  readonly fn?: string;
  readonly fnArgs: readonly string[];
  /** private: the collection; the non-member org that must be refused */
  readonly collection?: string;
  readonly outsider?: string;
  /** evaluate/submit: transient data (name -> value) and the orgs that must endorse */
  readonly transient: ReadonlyMap<string, string>;
  readonly endorsingOrgs: readonly string[];
  /** evaluate/submit: succeed only when the call fails with a message matching this pattern */
  readonly expectError?: RegExp;
  /** load: stop once this file exists */
  readonly stopFile?: string;
  /** load: stop after this many seconds at the latest (Infinity: no limit) */
  readonly maxSeconds: number;
}

export const USAGE = `usage: node dist/main.js <command> [flags]

commands:
  scenario   Org1 creates and transfers an asset, Org2 reads it back and checks it
  private    private data: Org1 writes a value to --collection (endorsed by Org1 and Org2 only),
             Org2 reads it back, --outsider (a non-member org) is refused the value but sees its hash
  evaluate   evaluate one transaction:  --org <org> --fn <name> [--arg <value>]...
  submit     submit one transaction:    --org <org> --fn <name> [--arg <value>]...
  load       as --org1, submit CreateAsset one transaction after another until --stop-file exists,
             --max-seconds pass or SIGTERM comes; fails if any transaction fails (see main.ts for what may
             be resubmitted)
  help       print this text

flags:
  --dist <dir>                 directory holding the synthesized *.yaml (default: $HYPERKUBE_DIST). Without
                               either, load, evaluate and submit act as the org fabric-samples' variables
                               name: MSP_ID, PEER_ENDPOINT, PEER_HOST_ALIAS, CERT_PATH, KEY_PATH,
                               TLS_CERT_PATH (as Hyperkube's Application sets them in its pods)
  --namespace <ns>             only use objects in this namespace (default: any)
  --channel <name>             channel name (default: $CHANNEL_NAME, else mychannel)
  --chaincode <name>           chaincode name (default: $CHAINCODE_NAME, else basic)
  --org1 <prefix>              first org's object prefix (default: org1 -> org1-connection-profile, org1-user1)
  --org2 <prefix>              second org's object prefix (default: org2)
  --org <prefix>               org to act as, for evaluate/submit (default: the --org1 value)
  --peer-address <host=addr>   dial addr (ip:port) for a peer host named in a profile; repeatable.
                               TLS is still verified against that host name. Also read from
                               $PEER_ADDRESSES as a comma-separated list of host=addr pairs.
  --asset-id <id>              asset id for the scenario (default: time based, printed)
  --retry-seconds <n>          how long to keep retrying while the network/chaincode starts (default: 120)
  --retry-interval <n>         seconds between retries (default: 5)
  --collection <name>          private: the private data collection (Org1 and Org2 must be members)
  --outsider <prefix>          private: an org that is not a member of the collection
  --transient <name=value>     evaluate/submit: transient data entry; repeatable
  --endorsing-org <mspId>      evaluate/submit: an org that must endorse (Gateway endorsingOrganizations); repeatable
  --expect-error <regex>       evaluate/submit: succeed only when the call fails with a matching message
  --stop-file <path>           load: stop once this file exists
  --max-seconds <n>            load: stop after n seconds at the latest (default: no limit)
`;

const VALUE_FLAGS = new Set([
  'dist', 'namespace', 'channel', 'chaincode', 'org1', 'org2', 'org', 'peer-address', 'asset-id',
  'retry-seconds', 'retry-interval', 'fn', 'arg', 'collection', 'outsider', 'transient', 'endorsing-org',
  'expect-error', 'stop-file', 'max-seconds',
]);

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Options {
  const values = new Map<string, string[]>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === '-h' || token === '--help') {
      positional.unshift('help');
      continue;
    }
    if (!token.startsWith('--')) {
      positional.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const name = eq > 0 ? token.slice(2, eq) : token.slice(2);
    if (!VALUE_FLAGS.has(name)) {
      throw usageError(`unknown flag --${name}`);
    }
    let value: string;
    if (eq > 0) {
      value = token.slice(eq + 1);
    } else {
      if (i + 1 >= argv.length) {
        throw usageError(`flag --${name} needs a value`);
      }
      value = argv[++i];
    }
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  const one = (name: string): string | undefined => {
    const v = values.get(name);
    if (v && v.length > 1) {
      throw usageError(`flag --${name} given more than once`);
    }
    return v?.[0];
  };
  const command = positional[0] ?? 'help';
  if (positional.length > 1) {
    throw usageError(`unexpected argument ${positional[1]}`);
  }

  const peerAddresses = new Map<string, string>();
  const envPairs = (env.PEER_ADDRESSES ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  for (const pair of [...envPairs, ...(values.get('peer-address') ?? [])]) {
    const [host, address] = parsePeerAddress(pair);
    peerAddresses.set(host, address);
  }

  const transient = new Map<string, string>();
  for (const pair of values.get('transient') ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      throw usageError(`--transient wants name=value, got "${pair}"`);
    }
    transient.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  const expectError = one('expect-error');
  let expectErrorRe: RegExp | undefined;
  if (expectError !== undefined) {
    try {
      expectErrorRe = new RegExp(expectError);
    } catch (e) {
      throw usageError(`--expect-error wants a regular expression: ${(e as Error).message}`);
    }
  }

  const org1 = one('org1') ?? 'org1';
  return {
    command,
    dist: one('dist') ?? env.HYPERKUBE_DIST,
    namespace: one('namespace'),
    channel: one('channel') ?? env.CHANNEL_NAME ?? 'mychannel',
    chaincode: one('chaincode') ?? env.CHAINCODE_NAME ?? 'basic',
    org1,
    org2: one('org2') ?? 'org2',
    org: one('org') ?? org1,
    peerAddresses,
    assetId: one('asset-id'),
    retrySeconds: seconds('retry-seconds', one('retry-seconds'), 120),
    retryIntervalSeconds: seconds('retry-interval', one('retry-interval'), 5),
    fn: one('fn'),
    fnArgs: values.get('arg') ?? [],
    collection: one('collection'),
    outsider: one('outsider'),
    transient,
    endorsingOrgs: values.get('endorsing-org') ?? [],
    expectError: expectErrorRe,
    stopFile: one('stop-file'),
    maxSeconds: seconds('max-seconds', one('max-seconds'), Infinity),
  };
}

/** "host=addr" where addr is host:port or ip:port (IPv6 as [::1]:7051). */
export function parsePeerAddress(pair: string): [string, string] {
  const eq = pair.indexOf('=');
  const host = eq > 0 ? pair.slice(0, eq).trim() : '';
  const address = eq > 0 ? pair.slice(eq + 1).trim() : '';
  if (!host || !/^(\[[0-9a-fA-F:.]+\]|[^:\s[\]]+):\d{1,5}$/.test(address)) {
    throw usageError(`--peer-address wants host=address:port, e.g. org1-peer0.fabric.svc.cluster.local=10.96.0.23:7051; got "${pair}"`);
  }
  return [host.toLowerCase(), address];
}

function seconds(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) {
    return fallback;
  }
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    throw usageError(`--${flag} wants a non-negative number of seconds, got "${raw}"`);
  }
  return n;
}
