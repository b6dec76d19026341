#!/usr/bin/env node
// A `jq` command for the script tests on machines without jq: the real jq, compiled to
// WebAssembly (jq-wasm), behind the command line the Job scripts use. The wasm build reads no
// files and ignores -e, so this reads the input files, turns --rawfile and --slurpfile into
// --arg and --argjson, and
// sets the exit status from the last output as jq -e does.
'use strict';
const { readFileSync } = require('node:fs');
const jq = require('jq-wasm');

/** Splits jq's arguments into flags for the wasm build, the filter, input files and -e. */
async function parseArguments(args) {
  const flags = [];
  const files = [];
  let filter;
  let exitStatus = false;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '--arg' || arg === '--argjson') {
      flags.push(arg, args[++index], args[++index]);
    } else if (arg === '--rawfile') {
      const name = args[++index];
      flags.push('--arg', name, readFileSync(args[++index], 'utf8'));
    } else if (arg === '--slurpfile') {
      const name = args[++index];
      const values = await jq.raw(readFileSync(args[++index], 'utf8'), '.', ['-s', '-c']);
      flags.push('--argjson', name, values);
    } else if (/^-[a-zA-Z]+$/.test(arg)) {
      exitStatus = exitStatus || arg.includes('e');
      const rest = arg.replace(/e/g, '');
      if (rest !== '-') {
        flags.push(rest);
      }
    } else if (filter === undefined) {
      filter = arg;
    } else {
      files.push(arg);
    }
  }
  return { flags, files, filter: filter ?? '.', exitStatus };
}

async function main() {
  const { flags, files, filter, exitStatus } = await parseArguments(process.argv.slice(2));
  const input = files.length > 0
    ? files.map((file) => readFileSync(file, 'utf8')).join('\n')
    : (flags.some((flag) => /^-[a-zA-Z]*n/.test(flag)) ? '' : readFileSync(0, 'utf8'));
  let output;
  try {
    output = await jq.raw(input, filter, flags);
  } catch (error) {
    process.stderr.write(`${error.message.replace(/^Failed to execute raw query: /, '')}\n`);
    return /compile error/.test(error.message) ? 3 : 5;
  }
  if (output !== '') {
    process.stdout.write(`${output}\n`);
  }
  if (!exitStatus) {
    return 0;
  }
  const lines = output.split('\n').filter((line) => line !== '');
  if (lines.length === 0) {
    return 4;
  }
  return ['false', 'null'].includes(lines[lines.length - 1].trim()) ? 1 : 0;
}

main().then((code) => process.exit(code));
