import { spawnSync } from 'node:child_process';
import { Testing } from 'cdk8s';
import { TestNetwork } from '../../apps/test-network/network';
import { BackupTarget, FabricCaIdentities, NetworkBackup } from '../../lib';
import { libraryScripts } from '../../lib/internal/script-library';
import { KubeObject, podSpec, synthMultiOrg, synthTestNetwork } from '../util';
import { scriptFolder } from './script-runner';

const scripts = Object.keys(libraryScripts());
// shellcheck is a linter binary, not an npm package: CI installs it (see .ci/run); a machine
// without it still runs every behaviour test of the scripts, and jest reports these as skipped.
const hasShellcheck = !spawnSync('shellcheck', ['--version']).error;
const lintEach = hasShellcheck ? test.each(scripts) : test.skip.each(scripts);

describe('the script library', () => {
  test('GIVEN both apps, the reference network in Fabric CA mode and one with backups WHEN the scripts their pods run and source are listed THEN the library has exactly those, none missing or dead', () => {
    const library = libraryScripts();
    const caChart = new TestNetwork(Testing.app(), 'ca', { identities: new FabricCaIdentities() });
    const backupChart = synthTestNetwork().chart;
    new NetworkBackup(backupChart, 'backup', { target: BackupTarget.persistentVolumeClaim({ claimName: 'backups' }), backupName: 'one', schedule: '@daily', restoreFrom: 'one' });
    const pods = [...synthTestNetwork().objects, ...synthMultiOrg().objects, ...Testing.synth(caChart) as KubeObject[], ...Testing.synth(backupChart) as KubeObject[]]
      .flatMap((object) => (object.kind === 'CronJob' ? [object.spec.jobTemplate] : [object]))
      .filter((object) => object.spec?.template?.spec);
    const commands = pods.flatMap((object) => [...podSpec(object).containers, ...(podSpec(object).initContainers ?? [])])
      .flatMap((container: any) => container.command ?? []).filter((word: string) => word.startsWith('/var/hyperledger/scripts/'))
      .map((path: string) => path.split('/').pop() as string);
    const used = new Set<string>(commands);
    for (const file of [...used]) {
      for (const match of (library[file] ?? '').matchAll(/source "\$\(dirname "\$0"\)\/([\w.-]+)"/g)) {
        used.add(match[1]);
      }
    }
    expect([...used].sort()).toEqual(Object.keys(library).sort());
  });

  test('GIVEN the default wait settings WHEN a wait keeps failing THEN it looks again after 1, 2, 3 and 4 s, then every 5 s, and gives up after 440 s', () => {
    const delays = spawnSync('bash', ['-c', 'source common.sh && for ((a = 1; a <= WAIT_ATTEMPTS; a++)); do wait_delay "$a"; done'], {
      cwd: scriptFolder(), encoding: 'utf8', env: { PATH: process.env.PATH },
    }).stdout.trim().split('\n').map(Number);
    expect(delays.slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(delays.slice(4))).toEqual(new Set([5]));
    expect(delays.reduce((sum, delay) => sum + delay, 0)).toBe(440);
  });

  lintEach('GIVEN %s WHEN shellcheck reads it THEN it reports nothing', (file) => {
    const result = spawnSync('shellcheck', ['-x', '--severity=style', file], { cwd: scriptFolder(), encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
