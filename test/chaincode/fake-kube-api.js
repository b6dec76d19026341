#!/usr/bin/env node
// A fake `curl` that answers the Jobs' Kubernetes API calls from files in FAKE_KUBE_STATE (default:
// kube/ beside it): deployments.json and services.json, each a list of {name, labels, readyReplicas},
// and pods.json, a list of {name, labels, status}.
// It reads the curl flags the scripts use (-o, -w '%{http_code}', -X, -G --data-urlencode) and
// logs each request to kube/requests.log as "METHOD PATH [labelSelector]".
const fs = require('node:fs');
const path = require('node:path');

const state = process.env.FAKE_KUBE_STATE ?? path.join(__dirname, 'kube');
const args = process.argv.slice(2);
let output;
let method = 'GET';
let url;
const query = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === '-o') output = args[++i];
  else if (arg === '-X') method = args[++i];
  else if (arg === '--data-urlencode') query.push(args[++i]);
  else if (['-w', '-H', '-d', '--max-time', '--cacert'].includes(arg)) i++;
  else if (arg.startsWith('https://')) url = new URL(arg);
}
const selector = query.find((entry) => entry.startsWith('labelSelector='))?.slice('labelSelector='.length);
fs.appendFileSync(path.join(state, 'requests.log'), `${method} ${url.pathname}${selector ? ` ${selector}` : ''}\n`);

function reply(status, body) {
  fs.writeFileSync(output, JSON.stringify(body));
  process.stdout.write(String(status));
}

/** Splits a selector at its top-level commas (not those inside `in (...)`). */
function terms(text) {
  const out = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    if (text[i] === ')') depth--;
    if (text[i] === ',' && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(text.slice(start).trim());
  return out.filter(Boolean);
}

/** Whether `labels` match one selector term, in the API server's grammar. */
function matches(labels, term) {
  let m;
  if ((m = /^(\S+)\s+(in|notin)\s+\((.*)\)$/.exec(term))) {
    const values = m[3].split(',').map((value) => value.trim());
    return m[2] === 'in' ? values.includes(labels[m[1]]) : !values.includes(labels[m[1]]);
  }
  if ((m = /^(.+?)!=(.*)$/.exec(term))) return labels[m[1]] !== m[2];
  if ((m = /^(.+?)==?(.*)$/.exec(term))) return labels[m[1]] === m[2];
  if (term.startsWith('!')) return !(term.slice(1) in labels);
  return term in labels;
}

const route = /^\/(?:apis\/apps\/v1|api\/v1)\/namespaces\/([^/]+)\/(deployments|services|pods)(?:\/([^/]+))?$/.exec(url.pathname);
if (!route) {
  reply(404, { message: `the fake API does not serve ${url.pathname}` });
  process.exit(0);
}
const [, , kind, name] = route;
const file = path.join(state, `${kind}.json`);
const objects = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : [];
const found = objects.find((object) => object.name === name);
if (method === 'GET' && name) {
  if (!found) reply(404, { message: `${kind} "${name}" not found` });
  else reply(200, { metadata: { name }, status: found.readyReplicas ? { readyReplicas: found.readyReplicas } : {} });
} else if (method === 'GET') {
  const picked = objects.filter((object) => terms(selector ?? '').every((term) => matches(object.labels, term)));
  reply(200, { items: picked.map((object) => ({ metadata: { name: object.name, labels: object.labels }, status: object.status ?? {} })) });
} else if (method === 'DELETE') {
  if (!found) {
    reply(404, { message: `${kind} "${name}" not found` });
  } else {
    fs.writeFileSync(file, JSON.stringify(objects.filter((object) => object !== found)));
    reply(200, { status: 'Success' });
  }
} else {
  reply(405, { message: `the fake API does not take ${method}` });
}
