import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPTS = join(__dirname, '..', 'lib', 'scripts');
const scriptFiles = readdirSync(SCRIPTS).filter((file) => file.endsWith('.sh')).sort();

describe('Job scripts', () => {
  test('GIVEN the script folder WHEN listed THEN every script a construct runs is there', () => {
    expect(scriptFiles).toEqual(['approve-chaincode.sh', 'commit-chaincode.sh', 'common.sh', 'create-channel.sh', 'join-channel.sh', 'peer-config.sh']);
  });

  test.each(scriptFiles)('GIVEN %s WHEN shellcheck reads it THEN it reports nothing', (file) => {
    const shellcheck = spawnSync('shellcheck', ['--version']);
    if (shellcheck.error) {
      throw new Error('shellcheck is not installed; install the Debian package "shellcheck" (apt-get install shellcheck).');
    }
    const result = spawnSync('shellcheck', ['-x', '--severity=style', file], { cwd: SCRIPTS, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

/** Runs `script` with fake Fabric CLIs on PATH; each fake appends its arguments to calls.log. */
function runWithFakes(script: string, fakes: Record<string, string>, env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'hyperkube-fakes-'));
  for (const [name, body] of Object.entries(fakes)) {
    writeFileSync(join(dir, name), `#!/usr/bin/env bash\necho "${name} $*" >>"${dir}/calls.log"\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  }
  writeFileSync(join(dir, 'calls.log'), '');
  const result = spawnSync('bash', [join(SCRIPTS, script)], {
    encoding: 'utf8',
    env: { PATH: `${dir}:${process.env.PATH}`, WORK_DIR: dir, WAIT_ATTEMPTS: '3', WAIT_SECONDS: '0', ...env },
  });
  return { ...result, calls: readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n').filter(Boolean) };
}

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

describe('join-channel.sh and the chaincode scripts', () => {
  const peerEnv = { CHANNEL: 'mychannel', PEERS: 'p0:7051 p1:7051', ORDERERS: 'o0:7050=/ca.pem', CORE_PEER_LOCALMSPID: 'Org1MSP' };

  test('GIVEN both peers joined WHEN join-channel.sh runs THEN it fetches and joins nothing', () => {
    const run = runWithFakes('join-channel.sh', { peer: 'printf "Channels peers has joined:\\nmychannel\\n"' }, peerEnv);
    expect(run.status).toBe(0);
    expect(run.calls.filter((c) => c.includes('fetch') || c.includes(' join'))).toEqual([]);
  });

  const definitionEnv = { ...peerEnv, CC_NAME: 'basic', CC_VERSION: '1.0', CC_SEQUENCE: '2', CC_PACKAGE_ID: 'basic_1.0:abc', CC_PACKAGE_FILE: '/pkg' };

  test('GIVEN the package installed and sequence 2 committed WHEN approve-chaincode.sh runs THEN it installs and approves nothing', () => {
    const peer = [
      'case "$*" in',
      '  "channel list"*) printf "mychannel\\n";;',
      '  *queryinstalled*) echo \'{"installed_chaincodes":[{"package_id":"basic_1.0:abc"}]}\';;',
      '  *querycommitted*) echo \'{"sequence":2}\';;',
      'esac',
    ].join('\n');
    const run = runWithFakes('approve-chaincode.sh', { peer }, definitionEnv);
    expect(run.status).toBe(0);
    expect(run.calls.filter((c) => c.includes('chaincode install') || c.includes('approveformyorg'))).toEqual([]);
  });

  test('GIVEN nothing installed or approved WHEN approve-chaincode.sh runs THEN it installs on each peer and approves once with the definition', () => {
    const peer = [
      'state=$(dirname "$0")/installed',
      'case "$*" in',
      '  "channel list"*) printf "mychannel\\n";;',
      '  *queryinstalled*) if [[ -f $state ]]; then echo \'{"installed_chaincodes":[{"package_id":"basic_1.0:abc"}]}\'; else echo "{}"; fi;;',
      '  *"chaincode install"*) touch "$state";;',
      '  *querycommitted*) exit 1;;',
      '  *checkcommitreadiness*) echo \'{"approvals":{"Org1MSP":false}}\';;',
      'esac',
    ].join('\n');
    const run = runWithFakes('approve-chaincode.sh', { peer }, { ...definitionEnv, PEERS: 'p0:7051', CC_SIGNATURE_POLICY: "OR('Org1MSP.peer')" });
    expect(run.status).toBe(0);
    expect(run.calls.filter((c) => c.includes('chaincode install'))).toHaveLength(1);
    const approve = run.calls.filter((c) => c.includes('approveformyorg'));
    expect(approve).toHaveLength(1);
    expect(approve[0]).toContain("--sequence 2 --signature-policy OR('Org1MSP.peer') --package-id basic_1.0:abc -o o0:7050 --tls --cafile /ca.pem");
  });

  test('GIVEN one org has not approved WHEN commit-chaincode.sh runs THEN it waits, bounded, and never commits', () => {
    const peer = [
      'case "$*" in',
      '  "channel list"*) printf "mychannel\\n";;',
      '  *querycommitted*) exit 1;;',
      '  *checkcommitreadiness*) echo \'{"approvals":{"Org1MSP":true,"Org2MSP":false}}\';;',
      'esac',
    ].join('\n');
    const run = runWithFakes('commit-chaincode.sh', { peer }, { ...definitionEnv, APPROVERS: 'Org1MSP Org2MSP', ENDORSING_PEERS: 'p0:7051=/a p9:7051=/b' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('Org2MSP has not approved basic sequence 2 yet');
    expect(run.calls.filter((c) => c.includes('chaincode commit'))).toEqual([]);
  });
});

describe('peer-config.sh', () => {
  test('GIVEN a core.yaml with vm.endpoint WHEN run THEN the copy has no endpoint under vm and keeps everything else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hyperkube-core-'));
    const source = join(dir, 'core.yaml');
    writeFileSync(source, ['peer:', '  id: x', 'vm:', '    endpoint: unix:///var/run/docker.sock', '    docker:', '        attachStdout: false',
      'chaincode:', '    externalBuilders:', '        - name: ccaas_builder', '          path: /opt/hyperledger/ccaas_builder', 'operations:', '    endpoint: keep-me', ''].join('\n'));
    execFileSync('sh', [join(SCRIPTS, 'peer-config.sh')], { env: { SOURCE_CONFIG: source, TARGET_CONFIG: join(dir, 'out.yaml') } });
    const out = readFileSync(join(dir, 'out.yaml'), 'utf8');
    expect(out).not.toContain('docker.sock');
    expect(out).toContain('attachStdout: false');
    expect(out).toContain('endpoint: keep-me');
    expect(out).toContain('ccaas_builder');
  });

  test('GIVEN a core.yaml without the CCaaS builder WHEN run THEN it fails and says why', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hyperkube-core-'));
    writeFileSync(join(dir, 'core.yaml'), 'vm:\n    endpoint: unix:///var/run/docker.sock\n');
    const run = spawnSync('sh', [join(SCRIPTS, 'peer-config.sh')], { encoding: 'utf8', env: { SOURCE_CONFIG: join(dir, 'core.yaml'), TARGET_CONFIG: join(dir, 'o') } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('no ccaas_builder');
  });
});
