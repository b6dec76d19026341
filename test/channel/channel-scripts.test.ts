import { runWithFakes } from '../internal/script-runner';

const channelEnv = {
  CHANNEL: 'mychannel',
  CONFIGTX_DIR: '/nonexistent',
  PROFILE: 'Channel',
  CONSENTERS: 'o0:7053=/tls o1:7053=/tls',
  ORDERERS: 'o0:7050=/ca.pem o1:7050=/ca.pem',
};

describe('create-channel.sh', () => {
  test('GIVEN every consenter already has the channel WHEN run THEN it neither generates a block nor joins', () => {
    const run = runWithFakes('create-channel.sh', { osnadmin: 'echo "Status: 200"', configtxgen: 'exit 1' }, channelEnv);
    expect(run.status).toBe(0);
    expect(run.calls.filter((c) => c.includes(' join '))).toEqual([]);
    expect(run.calls.filter((c) => c.startsWith('configtxgen'))).toEqual([]);
  });

  test('GIVEN no consenter has the channel WHEN run THEN it generates one block and joins each consenter', () => {
    const osnadmin = 'case "$2" in list) echo "Status: 404";; join) echo "Status: 201";; esac';
    const run = runWithFakes('create-channel.sh', { osnadmin, configtxgen: 'touch "${@: -1}"' }, channelEnv);
    expect(run.status).toBe(0);
    expect(run.calls.filter((c) => c.startsWith('configtxgen'))).toHaveLength(1);
    expect(run.calls.filter((c) => c.includes('channel join'))).toHaveLength(2);
  });

  test('GIVEN one consenter has the channel WHEN run THEN the other joins with the fetched genesis block, not a new one', () => {
    const osnadmin = 'if [[ "$2" == list ]]; then [[ "$*" == *o0:7053* ]] && echo "Status: 200" || echo "Status: 404"; else echo "Status: 201"; fi';
    const run = runWithFakes('create-channel.sh', { osnadmin, configtxgen: 'exit 1', peer: 'touch "$4"' }, channelEnv);
    expect(run.status).toBe(0);
    expect(run.calls.filter((c) => c.startsWith('peer channel fetch 0'))).toHaveLength(1);
    expect(run.calls.filter((c) => c.includes('channel join'))).toEqual([expect.stringContaining('-o o1:7053')]);
  });

  test('GIVEN a consenter refuses the join WHEN run THEN it fails and quotes the reply', () => {
    const osnadmin = 'case "$2" in list) echo "Status: 404";; join) echo "Status: 400"; echo "{\\"error\\":\\"bad block\\"}";; esac';
    const run = runWithFakes('create-channel.sh', { osnadmin, configtxgen: 'touch "${@: -1}"' }, channelEnv);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('refused to join mychannel (status 400)');
    expect(run.stderr).toContain('bad block');
  });

  test('GIVEN an unreachable admin endpoint WHEN run THEN it waits a bounded number of times, logging each wait, then fails', () => {
    const run = runWithFakes('create-channel.sh', { osnadmin: 'echo "connection refused" >&2; exit 1' }, channelEnv);
    expect(run.status).not.toBe(0);
    expect(run.stderr.match(/waiting for admin endpoint of consenter o0:7053 \(attempt \d\/3/g)).toHaveLength(3);
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
});
