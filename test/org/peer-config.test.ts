import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scriptFolder } from '../internal/script-runner';

describe('peer-config.sh', () => {
  test('GIVEN a core.yaml with vm.endpoint WHEN run THEN the copy has no endpoint under vm and keeps everything else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hyperkube-core-'));
    const source = join(dir, 'core.yaml');
    writeFileSync(source, ['peer:', '  id: x', 'vm:', '    endpoint: unix:///var/run/docker.sock', '    docker:', '        attachStdout: false',
      'chaincode:', '    externalBuilders:', '        - name: ccaas_builder', '          path: /opt/hyperledger/ccaas_builder', 'operations:', '    endpoint: keep-me', ''].join('\n'));
    execFileSync('sh', [join(scriptFolder(), 'peer-config.sh')], { env: { SOURCE_CONFIG: source, TARGET_CONFIG: join(dir, 'out.yaml') } });
    const out = readFileSync(join(dir, 'out.yaml'), 'utf8');
    expect(out).not.toContain('docker.sock');
    expect(out).toContain('attachStdout: false');
    expect(out).toContain('endpoint: keep-me');
    expect(out).toContain('ccaas_builder');
  });

  test('GIVEN a core.yaml without the CCaaS builder WHEN run THEN it fails and says why', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hyperkube-core-'));
    writeFileSync(join(dir, 'core.yaml'), 'vm:\n    endpoint: unix:///var/run/docker.sock\n');
    const run = spawnSync('sh', [join(scriptFolder(), 'peer-config.sh')], { encoding: 'utf8', env: { SOURCE_CONFIG: join(dir, 'core.yaml'), TARGET_CONFIG: join(dir, 'o') } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('no ccaas_builder');
  });
});
