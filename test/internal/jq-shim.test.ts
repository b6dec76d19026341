import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SHIM = join(__dirname, 'jq-shim.js');
const shim = (args: string[], input = '') => spawnSync('node', [SHIM, ...args], { input, encoding: 'utf8' });

describe('the jq shim the script tests use where jq is missing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hyperkube-jq-'));
  writeFileSync(join(dir, 'a.json'), '{"n":1}');
  writeFileSync(join(dir, 'b.json'), '{"n":2}\n');
  writeFileSync(join(dir, 'ids'), 'x:1\ny:2\n');

  test('GIVEN stdin, -r and --arg WHEN run THEN it prints raw text as jq does', () => {
    expect(shim(['-r', '--arg', 'who', 'Org1', '"\\($who) has \\(.n)"'], '{"n":3}').stdout).toBe('Org1 has 3\n');
  });

  test('GIVEN input files and -s WHEN run THEN it slurps them all', () => {
    expect(shim(['-c', '-s', 'map(.n)', join(dir, 'a.json'), join(dir, 'b.json')]).stdout).toBe('[1,2]\n');
  });

  test('GIVEN --slurpfile, --rawfile, --argjson and -n WHEN run THEN each binds its value', () => {
    const run = shim(['-cn', '--slurpfile', 's', join(dir, 'b.json'), '--rawfile', 'r', join(dir, 'ids'), '--argjson', 'j', '{"k":true}', '[$s, ($r | split("\\n") | length), $j.k]']);
    expect(run.stdout).toBe('[[{"n":2}],3,true]\n');
  });

  test.each([['true', 0], ['false', 1], ['null', 1], ['empty', 4]])('GIVEN -e and a last output of %s WHEN run THEN it exits %i', (filter, code) => {
    expect(shim(['-en', filter]).status).toBe(code);
  });

  test('GIVEN a filter that does not compile WHEN run THEN it exits 3 and says why on stderr', () => {
    const run = shim(['-n', '.a |']);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('syntax error');
  });
});
