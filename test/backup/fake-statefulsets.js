#!/usr/bin/env node
// A fake `curl` for the backup Job's Kubernetes API calls, acting as the StatefulSet controller
// of a one-node cluster. State is FAKE_KUBE_STATE/state.json: {statefulsets: {name: {replicas,
// annotations, unready}}}. Scaling a node to 0 removes its pod; scaling a backup agent
// (`<node>-backup`) to 1 starts the real backup-node.sh in the background with the node's ledger
// folder (FAKE_KUBE_STATE/ledgers/<node>) and the backup name from the pod template annotation,
// as the agent pod would, and to 0 ends it. Every change is logged to events.log, with a
// VIOLATION line when an agent starts while its node's pod runs.
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');

const state = process.env.FAKE_KUBE_STATE;
const file = path.join(state, 'state.json');
const world = JSON.parse(fs.readFileSync(file, 'utf8'));
const args = process.argv.slice(2);
let output;
let method = 'GET';
let body;
let url;
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === '-o') output = args[++i];
  else if (arg === '-X') method = args[++i];
  else if (arg === '-d') body = JSON.parse(args[++i]);
  else if (['-w', '-H', '--max-time', '--cacert'].includes(arg)) i++;
  else if (arg.startsWith('https://')) url = new URL(arg);
}

const event = (line) => fs.appendFileSync(path.join(state, 'events.log'), `${line}\n`);
const reply = (status, json) => {
  fs.writeFileSync(output, JSON.stringify(json));
  process.stdout.write(String(status));
};
const agentDir = (name) => path.join(state, 'agents', name);
const isAgent = (name) => name.endsWith('-backup');

/** The agent's pod as the API shows it: ready once its copy is stored, terminated when it failed. */
function agentPod(name) {
  const dir = agentDir(name);
  const exit = path.join(dir, 'exit');
  if (fs.existsSync(exit) && fs.readFileSync(exit, 'utf8').trim() !== '0') {
    const log = fs.readFileSync(path.join(dir, 'log'), 'utf8').trim().split('\n').slice(-2).join('\n');
    return { status: { phase: 'Running', containerStatuses: [{ lastState: { terminated: { exitCode: Number(fs.readFileSync(exit, 'utf8')), message: log } }, state: { waiting: { reason: 'CrashLoopBackOff' } } }] } };
  }
  const ready = fs.existsSync(path.join(dir, 'stored'));
  return { status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }], containerStatuses: [{ state: { running: {} } }] } };
}

function startAgent(name, set) {
  const node = name.replace(/-backup$/, '');
  if (world.statefulsets[node].replicas !== 0) event(`VIOLATION agent ${name} started while ${node} runs`);
  const dir = agentDir(name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'work'), { recursive: true });
  const log = fs.openSync(path.join(dir, 'log'), 'w');
  const child = spawn('bash', ['-c', 'bash "$0"; echo $? >"$1"', path.join(process.env.SCRIPT_FOLDER, 'backup-node.sh'), path.join(dir, 'exit')], {
    detached: true,
    stdio: ['ignore', log, log],
    env: {
      PATH: process.env.PATH, NODE: node, LEDGER_DIR: path.join(state, 'ledgers', node), WORK_DIR: path.join(dir, 'work'),
      READY_FILE: path.join(dir, 'stored'), BACKUP_NAME: set.annotations['hyperkube.io/backup-name'] ?? '',
      STORE_KIND: 'volume', STORE_DIR: process.env.FAKE_STORE_DIR,
    },
  });
  fs.writeFileSync(path.join(dir, 'pid'), String(child.pid));
  child.unref();
}

function stopAgent(name) {
  const pid = path.join(agentDir(name), 'pid');
  if (fs.existsSync(pid)) {
    try { process.kill(-Number(fs.readFileSync(pid, 'utf8')), 'SIGKILL'); } catch { /* already gone */ }
    fs.rmSync(pid);
  }
}

const route = /^\/(?:apis\/apps\/v1|api\/v1)\/namespaces\/[^/]+\/(statefulsets|pods)\/([^/]+)$/.exec(url.pathname);
if (!route) {
  reply(404, { message: `the fake API does not serve ${url.pathname}` });
  process.exit(0);
}
const [, kind, name] = route;
fs.appendFileSync(path.join(state, 'requests.log'), `${method} ${kind}/${name}\n`);
if (kind === 'statefulsets') {
  const set = world.statefulsets[name];
  if (!set) {
    reply(404, { message: `statefulsets.apps "${name}" not found` });
  } else if (method === 'GET') {
    const ready = set.replicas === 1 && !set.unready && (!isAgent(name) || agentPod(name).status.conditions?.[0].status === 'True');
    reply(200, { metadata: { name }, status: ready ? { readyReplicas: 1 } : {} });
  } else if (method === 'PATCH') {
    const before = set.replicas;
    set.replicas = body.spec.replicas ?? set.replicas;
    Object.assign(set.annotations, body.spec.template?.metadata?.annotations ?? {});
    fs.writeFileSync(file, JSON.stringify(world));
    if (before !== set.replicas) {
      event(`${name} replicas ${set.replicas}`);
      if (isAgent(name)) (set.replicas === 1 ? startAgent : stopAgent)(name, set);
    }
    reply(200, { metadata: { name } });
  } else {
    reply(405, { message: `the fake API does not take ${method}` });
  }
} else {
  const owner = name.replace(/-0$/, '');
  const set = world.statefulsets[owner];
  if (!set || set.replicas === 0) reply(404, { message: `pods "${name}" not found` });
  else reply(200, isAgent(owner) ? agentPod(owner) : { status: { phase: 'Running' } });
}
