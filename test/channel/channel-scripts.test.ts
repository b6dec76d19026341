import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWithFakes } from '../internal/script-runner';

/** The Kubernetes API as the reconcile Job sees it: a service account, and the chaincode servers in `kube`. */
function kubeApi(servers: { name: string; labels: Record<string, string> }[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'hyperkube-kube-'));
  mkdirSync(join(dir, 'account'));
  mkdirSync(join(dir, 'kube'));
  for (const [file, text] of Object.entries({ token: 't', 'ca.crt': 'ca', namespace: 'fabric' })) {
    writeFileSync(join(dir, 'account', file), text);
  }
  for (const kind of ['deployments', 'services']) {
    writeFileSync(join(dir, 'kube', `${kind}.json`), JSON.stringify(servers.map((server) => ({ ...server, readyReplicas: 1 }))));
  }
  writeFileSync(join(dir, 'kube', 'requests.log'), '');
  return {
    env: { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBE_ACCOUNT_DIR: join(dir, 'account'), FAKE_KUBE_STATE: join(dir, 'kube') },
    servers: (kind = 'deployments') => JSON.parse(readFileSync(join(dir, 'kube', `${kind}.json`), 'utf8')).map((server: { name: string }) => server.name),
  };
}
const FAKE_KUBE_API = join(__dirname, '..', 'chaincode', 'fake-kube-api.js');

const channelEnv = {
  CHANNEL: 'mychannel',
  CONFIGTX_DIR: '/nonexistent',
  PROFILE: 'Channel',
  CONSENTERS: 'o0:7053=/tls o1:7053=/tls',
  ORDERERS: 'o0:7050=/ca.pem o1:7050=/ca.pem',
  SIGNERS: 'Org1MSP=/signers/org1/msp Org2MSP=/signers/org2/msp',
  RETIRE_SELECTOR: 'hyperkube.io/channel=mychannel,hyperkube.io/chaincode notin (basic)',
};

/** A channel config as configtxlator decodes it, reduced to what the reconcile logic reads. */
function config(options: { consenters: string[]; batchTimeout?: string; members?: string[]; endpoints?: Record<string, string[]> }) {
  return {
    channel_group: {
      groups: {
        Orderer: {
          groups: Object.fromEntries(Object.entries(options.endpoints ?? {}).map(([msp, hosts]) =>
            [msp, { values: { Endpoints: { value: { addresses: hosts.map((host) => `${host}:7050`) } } } }])),
          values: {
            BatchTimeout: { value: { timeout: options.batchTimeout ?? '2s' } },
            ConsensusType: { value: { metadata: { consenters: options.consenters.map((host) => ({ host, port: 7050, client_tls_cert: `cert-${host}` })) } } },
          },
        },
        Application: {
          groups: Object.fromEntries((options.members ?? ['Org1MSP']).map((msp) => [msp, { values: { MSP: { value: { config: { name: msp } } } } }])),
        },
      },
    },
  };
}

/** A config block holding `config`, as `peer channel fetch config` and configtxgen write it (decoded). */
const block = (value: object) => JSON.stringify({ data: { data: [{ payload: { data: { config: value } } }] } });

/**
 * Fakes that keep the channel in files: configtxgen renders desired.json, `peer channel fetch`
 * returns live.json, `peer channel update` makes the update live (after UPDATE_FAILS failures
 * that land anyway, like a lost response), and osnadmin answers from the joined-* files.
 */
const stateful = {
  curl: `exec node ${JSON.stringify(FAKE_KUBE_API)} "$@"`,
  configtxgen: 'cp "$(dirname "$0")/fake-desired-block" "${@: -1}"',
  configtxlator: [
    'dir=$(dirname "$0")',
    'arg() { local flag=$1; shift; while (($#)); do [[ $1 == "$flag" ]] && { echo "$2"; return; }; shift; done; }',
    'case "$1" in',
    '  proto_decode) if [[ -n $(arg --output "$@") ]]; then cp "$(arg --input "$@")" "$(arg --output "$@")"; else cat "$(arg --input "$@")"; fi;;',
    '  proto_encode) cp "$(arg --input "$@")" "$(arg --output "$@")";;',
    '  compute_update) if [[ $(jq -S . "$(arg --original "$@")") == "$(jq -S . "$(arg --updated "$@")")" ]]; then echo "Error: no differences detected between original and updated config" >&2; exit 1; fi',
    '    cp "$(arg --updated "$@")" "$(arg --output "$@")";;',
    'esac',
  ].join('\n'),
  peer: [
    'dir=$(dirname "$0")',
    'case "$*" in',
    '  "channel fetch config"*) cp "$dir/fake-live-block" "$4";;',
    '  "channel signconfigtx"*) echo "$CORE_PEER_LOCALMSPID" >>"$dir/signatures";;',
    '  "channel update"*) if [[ -f $dir/refuse ]]; then cat "$dir/refuse" >&2; exit 1; fi',
    '    jq \'{data: {data: [{payload: {data: {config: .payload.data.config_update}}}]}}\' "$4" >"$dir/fake-live-block"',
    '    fails=$(cat "$dir/update-fails" 2>/dev/null || echo 0)',
    '    if ((fails > 0)); then echo $((fails - 1)) >"$dir/update-fails"; echo "Error: rpc error: code = DeadlineExceeded" >&2; exit 1; fi;;',
    'esac',
  ].join('\n'),
  osnadmin: [
    'dir=$(dirname "$0")',
    'node=$(for ((i = 1; i < $#; i++)); do [[ ${!i} == -o ]] && { j=$((i + 1)); echo "${!j%%:*}"; }; done)',
    'case "$2" in',
    '  list) if [[ -f $dir/joined-$node ]]; then echo "Status: 200"; echo \'{"consensusRelation":"consenter","status":"active","height":4}\'; else echo "Status: 404"; fi;;',
    '  join) touch "$dir/joined-$node"; echo "Status: 201";;',
    'esac',
  ].join('\n'),
};

function reconcile(live: object, desired: object, options: { joined?: string[]; env?: Record<string, string>; files?: Record<string, string> } = {}) {
  const joined = Object.fromEntries((options.joined ?? ['o0', 'o1']).map((node) => [`joined-${node}`, '']));
  return runWithFakes('reconcile-channel.sh', stateful, { ...channelEnv, ...kubeApi().env, ...options.env },
    { 'fake-live-block': block(live), 'fake-desired-block': block(desired), ...joined, ...options.files });
}

describe('reconcile-channel.sh', () => {
  test('GIVEN no consenter has the channel WHEN run THEN it generates one block and joins each consenter', () => {
    const run = reconcile({}, config({ consenters: ['o0', 'o1'] }), { joined: [] });
    expect(run.status).toBe(0);
    expect(run.calls.filter((c) => c.startsWith('configtxgen'))).toHaveLength(1);
    expect(run.calls.filter((c) => c.includes('channel join'))).toHaveLength(2);
    expect(run.calls.filter((c) => c.includes('channel update'))).toEqual([]);
  });

  test('GIVEN the live config equals the model WHEN run THEN it submits nothing and says so', () => {
    const model = config({ consenters: ['o0', 'o1'] });
    const run = reconcile(model, model);
    expect(run.status).toBe(0);
    expect(run.calls.filter((c) => c.includes('signconfigtx') || c.includes('channel update') || c.includes('channel join'))).toEqual([]);
    expect(run.stderr).toContain('channel mychannel already matches the model; nothing to update');
  });

  test('GIVEN a new member and a new batch timeout WHEN run THEN one update, signed by every admin, logs both changes', () => {
    const run = reconcile(config({ consenters: ['o0', 'o1'] }), config({ consenters: ['o0', 'o1'], batchTimeout: '500ms', members: ['Org1MSP', 'Org3MSP'] }));
    expect(run.status).toBe(0);
    expect(run.calls.filter((c) => c.includes('channel update'))).toHaveLength(1);
    expect(run.calls.filter((c) => c.includes('signconfigtx'))).toHaveLength(2);
    expect(run.stderr).toContain('change: Channel/Application/Org3MSP added');
    expect(run.stderr).toContain('change: Channel/Orderer/BatchTimeout: {"timeout":"2s"} -> {"timeout":"500ms"}');
  });

  test('GIVEN two consenters to add WHEN run THEN it adds them one update at a time, joining each new node before the next', () => {
    const run = reconcile(config({ consenters: ['o0', 'o1'] }), config({ consenters: ['o0', 'o1', 'o2', 'o3'] }),
      { env: { CONSENTERS: 'o0:7053=/tls o1:7053=/tls o2:7053=/tls o3:7053=/tls' } });
    expect(run.status).toBe(0);
    const steps = run.calls.filter((c) => c.includes('channel update') || c.includes('channel join'));
    expect(steps.map((c) => c.replace(/ .*-o (o\d):7053.*/, ' join $1').replace(/^peer channel update.*/, 'update'))).toEqual(['update', 'osnadmin join o2', 'update', 'osnadmin join o3']);
    expect(run.stderr).toContain('change: Channel/Orderer/ConsensusType: consenters [o0,o1] -> consenters [o0,o1,o2]');
  });

  test('GIVEN a new ordering org with two consenters WHEN run THEN each node\'s endpoint is advertised only in an update after it joined and caught up', () => {
    const run = reconcile(config({ consenters: ['o0', 'o1'], endpoints: { OrdererMSP: ['o0', 'o1'] } }),
      config({ consenters: ['o0', 'o1', 'o2', 'o3'], endpoints: { OrdererMSP: ['o0', 'o1'], Orderer2MSP: ['o2', 'o3'] } }),
      { env: { CONSENTERS: 'o0:7053=/tls o1:7053=/tls o2:7053=/tls o3:7053=/tls' } });
    expect(run.status).toBe(0);
    const steps = run.stderr.split('\n').filter((line) => / change: | joined channel /.test(line)).map((line) => line.replace(/^\S+ /, ''));
    expect(steps).toEqual([
      'change: Channel/Orderer/Orderer2MSP added',
      'change: Channel/Orderer/ConsensusType: consenters [o0,o1] -> consenters [o0,o1,o2]',
      'consenter o2:7053 joined channel mychannel',
      'change: Channel/Orderer/Orderer2MSP/Endpoints added: {"addresses":["o2:7050"]}',
      'change: Channel/Orderer/ConsensusType: consenters [o0,o1,o2] -> consenters [o0,o1,o2,o3]',
      'consenter o3:7053 joined channel mychannel',
      'change: Channel/Orderer/Orderer2MSP/Endpoints: {"addresses":["o2:7050"]} -> {"addresses":["o2:7050","o3:7050"]}',
    ]);
  });

  test('GIVEN servers of a chaincode the chart no longer defines on the channel WHEN run THEN it deletes them and keeps the others', () => {
    const on = (chaincode: string, channel = 'mychannel') => ({ 'hyperkube.io/chaincode': chaincode, 'hyperkube.io/channel': channel });
    const kube = kubeApi([
      { name: 'cc-basic-mychannel-org1-aaaaaa', labels: on('basic') },
      { name: 'cc-old-mychannel-org1-bbbbbb', labels: on('old') },
      { name: 'cc-old-other-org1-cccccc', labels: on('old', 'other') },
    ]);
    const model = config({ consenters: ['o0', 'o1'] });
    const run = reconcile(model, model, { env: kube.env });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('retired chaincode server deployments/cc-old-mychannel-org1-bbbbbb: the chart defines no such chaincode on mychannel');
    expect(kube.servers()).toEqual(['cc-basic-mychannel-org1-aaaaaa', 'cc-old-other-org1-cccccc']);
    expect(kube.servers('services')).toEqual(['cc-basic-mychannel-org1-aaaaaa', 'cc-old-other-org1-cccccc']);
  });

  test('GIVEN a model that removes two of three consenters WHEN run THEN it refuses, saying Raft would lose quorum and what to do', () => {
    const run = reconcile(config({ consenters: ['o0', 'o1', 'o2'] }), config({ consenters: ['o0'] }), { env: { CONSENTERS: 'o0:7053=/tls' }, joined: ['o0'] });
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('the model removes o1:7050, o2:7050 at once, keeping 1 of 3');
    expect(run.stderr).toContain('Remove at most 1 consenter(s) per apply');
    expect(run.calls.filter((c) => c.includes('channel update'))).toEqual([]);
  });

  test('GIVEN an update that lands but whose response is lost WHEN run THEN it sees the landed config and does not submit again', () => {
    const run = reconcile(config({ consenters: ['o0', 'o1'] }), config({ consenters: ['o0', 'o1'], batchTimeout: '1s' }), { files: { 'update-fails': '1' } });
    expect(run.status).toBe(0);
    expect(run.calls.filter((c) => c.includes('channel update'))).toHaveLength(1);
    expect(run.stderr).toContain('DeadlineExceeded');
    expect(run.stderr).toContain('an earlier submission of the update landed');
  });

  test('GIVEN the orderers refuse the update WHEN run THEN it fails at once with their reason', () => {
    const refusal = 'Error: got unexpected status: BAD_REQUEST -- error applying config update to existing channel: implicit policy evaluation failed - 1 sub-policies were satisfied, but this policy requires 2';
    const run = reconcile(config({ consenters: ['o0', 'o1'] }), config({ consenters: ['o0', 'o1'], batchTimeout: '1s' }), { files: { refuse: refusal } });
    expect(run.status).toBe(3);
    expect(run.stderr).not.toContain('waiting to submit');
    expect(run.stderr).toContain('the orderers refused the config update of mychannel: ' + refusal);
  });

  test('GIVEN an unreachable admin endpoint WHEN run THEN it waits a bounded number of times, logging each wait with the reason, then fails', () => {
    const run = runWithFakes('reconcile-channel.sh', { osnadmin: 'echo "Error: connection refused" >&2; exit 1' }, channelEnv);
    expect(run.status).not.toBe(0);
    expect(run.stderr.match(/waiting for admin endpoint of consenter o0:7053 \(attempt \d\/3, next in 0s\): Error: connection refused/g)).toHaveLength(3);
    expect(run.stderr).toContain('gave up waiting');
  });
});

describe('join-channel.sh', () => {
  const peerEnv = { CHANNEL: 'mychannel', PEERS: 'p0:7051 p1:7051', ORDERERS: 'o0:7050=/ca.pem', CORE_PEER_LOCALMSPID: 'Org1MSP' };

  test('GIVEN both peers joined WHEN join-channel.sh runs THEN it fetches and joins nothing', () => {
    const run = runWithFakes('join-channel.sh', { peer: 'printf "Channels peers has joined:\\nmychannel\\n"' }, peerEnv);
    expect(run.status).toBe(0);
    expect(run.calls.filter((c) => c.includes('fetch') || c.includes(' join'))).toEqual([]);
  });

  test('GIVEN orderers that answer FORBIDDEN for good WHEN join-channel.sh runs THEN it fails within its bound, saying the channel config lacks the org', () => {
    const peer = `case "$1 $2" in
      "channel list") echo "Channels peers has joined:";;
      "channel fetch") echo "Error: can't read the block: &{FORBIDDEN}" >&2; exit 1;;
    esac`;
    const run = runWithFakes('join-channel.sh', { peer }, { ...peerEnv, WAIT_ATTEMPTS: '10', FORBIDDEN_ATTEMPTS: '3' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("waiting for the config of mychannel to have Org1MSP (attempt 1/3, next in 0s): Error: can't read the block: &{FORBIDDEN}");
    expect(run.stderr).toContain("ERROR: the orderers refuse Org1MSP the blocks of mychannel (Error: can't read the block: &{FORBIDDEN}): the channel exists, but its config does not have Org1MSP");
    expect(run.calls.filter((c) => c.startsWith('peer channel fetch'))).toHaveLength(3);
    expect(run.calls.filter((c) => c.startsWith('peer channel join'))).toEqual([]);
  });

  test('GIVEN a channel that appears after two NOT_FOUND answers WHEN join-channel.sh runs THEN it waits, logging the reason, and joins', () => {
    const peer = `state=$(dirname "$0")
    case "$1 $2" in
      "channel list") if [[ -f "$state/joined" ]]; then printf "Channels peers has joined:\\nmychannel\\n"; else echo "Channels peers has joined:"; fi;;
      "channel fetch") n=$(cat "$state/fetches" 2>/dev/null || echo 0); echo $((n + 1)) >"$state/fetches"
        if ((n < 2)); then echo "Error: can't read the block: &{NOT_FOUND}" >&2; exit 1; fi; echo block >"$4";;
      "channel join") touch "$state/joined";;
    esac`;
    const run = runWithFakes('join-channel.sh', { peer }, { ...peerEnv, PEERS: 'p0:7051' });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("waiting for channel mychannel to exist on the orderers (attempt 2/3, next in 0s): Error: can't read the block: &{NOT_FOUND}");
    expect(run.calls.filter((c) => c.startsWith('peer channel join'))).toHaveLength(1);
  });
});
