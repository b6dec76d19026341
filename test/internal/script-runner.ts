import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { libraryScripts } from '../../lib/internal/script-library';

let folder: string | undefined;
let tools: string | undefined;

/**
 * The PATH the scripts run with: the machine's, plus a `jq` backed by jq-wasm where the machine
 * has no jq (or HYPERKUBE_TEST_JQ=wasm asks for it), so the script tests need only Node and bash.
 */
export function toolPath(): string {
  if (tools === undefined) {
    const hasJq = spawnSync('jq', ['--version']).error === undefined;
    if (hasJq && process.env.HYPERKUBE_TEST_JQ !== 'wasm') {
      tools = process.env.PATH ?? '';
    } else {
      const bin = mkdtempSync(join(tmpdir(), 'hyperkube-tools-'));
      writeFileSync(join(bin, 'jq'), `#!/usr/bin/env bash\nexec node ${JSON.stringify(join(__dirname, 'jq-shim.js'))} "$@"\n`, { mode: 0o755 });
      tools = `${bin}:${process.env.PATH ?? ''}`;
    }
  }
  return tools;
}

/** The library's scripts side by side in one folder, as the scripts ConfigMap mounts them in a pod. */
export function scriptFolder(): string {
  if (!folder) {
    folder = mkdtempSync(join(tmpdir(), 'hyperkube-scripts-'));
    for (const [name, text] of Object.entries(libraryScripts())) {
      writeFileSync(join(folder, name), text, { mode: 0o555 });
    }
  }
  return folder;
}

/**
 * Runs `script` with fake Fabric CLIs on PATH; each fake appends its arguments to calls.log.
 * `files` are written beside the fakes (their state), which find them at `$(dirname "$0")`.
 */
export function runWithFakes(script: string, fakes: Record<string, string>, env: Record<string, string>, files: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'hyperkube-fakes-'));
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), content);
  }
  for (const [name, body] of Object.entries(fakes)) {
    writeFileSync(join(dir, name), `#!/usr/bin/env bash\necho "${name} $*" >>"${dir}/calls.log"\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  }
  writeFileSync(join(dir, 'calls.log'), '');
  const result = spawnSync('bash', [join(scriptFolder(), script)], {
    encoding: 'utf8',
    env: { PATH: `${dir}:${toolPath()}`, WORK_DIR: dir, WAIT_ATTEMPTS: '3', WAIT_SECONDS: '0', ...env },
  });
  return { ...result, calls: readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n').filter(Boolean) };
}
