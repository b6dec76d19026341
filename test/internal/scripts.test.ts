import { spawnSync } from 'node:child_process';
import { libraryScripts } from '../../lib/internal/script-library';
import { scriptFolder } from './script-runner';

const scripts = Object.keys(libraryScripts());
// shellcheck is a linter binary, not an npm package: CI installs it (see .ci/run); a machine
// without it still runs every behaviour test of the scripts, and jest reports these as skipped.
const hasShellcheck = !spawnSync('shellcheck', ['--version']).error;
const lintEach = hasShellcheck ? test.each(scripts) : test.skip.each(scripts);

describe('the script library', () => {
  test('GIVEN lib/ WHEN its scripts are gathered THEN every script a construct runs is there, once', () => {
    expect(scripts).toEqual(['approve-chaincode.sh', 'commit-chaincode.sh', 'common.sh', 'create-channel.sh', 'join-channel.sh', 'peer-config.sh']);
  });

  lintEach('GIVEN %s WHEN shellcheck reads it THEN it reports nothing', (file) => {
    const result = spawnSync('shellcheck', ['-x', '--severity=style', file], { cwd: scriptFolder(), encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
