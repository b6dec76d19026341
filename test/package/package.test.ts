/**
 * The package as users get it. `npm pack` the repository (its `prepack` compiles into build/),
 * install the tarball offline into a fresh cdk8s app written here, type-check that app against the
 * package's typings, `cdk8s synth` it, and compare with the same app synthesized from the sources.
 * Then the README's example project (examples/supply, whose files the README quotes) gets the same
 * tarball and runs its own synth and snapshot test, as written.
 *
 * Offline: after the repository's `npm ci`, npm's cache holds every package tarball, but not
 * always the registry metadata that a lockfile-less `npm install --offline` resolves names with
 * (here it fails with ERESOLVE). So each app gets a lockfile cut from the repository's own: the
 * closure of what the app's and the packed package.json ask for, with registry URLs and integrity,
 * and `npm ci --offline` installs it from the tarballs alone. The versions are then the ones the
 * repository tests with.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

const REPO = join(__dirname, '..', '..');
const BIN = join(REPO, 'node_modules', '.bin');
const REPO_PACKAGE = readJson(join(REPO, 'package.json'));

/**
 * The whole file takes 40 to 90 s on a busy 2-core machine: the pack with its build, two offline
 * installs, three synths, a type-check, and the example's jest run twice.
 */
jest.setTimeout(180_000);

/** The app both ways: from the installed package, and (import swapped) from lib/. */
const FRESH_MAIN = `import { App } from 'cdk8s';
import {
  Channel, EndorsementPolicy, ExternalChaincode, FabricChart, GeneratedIdentities, Orderer, PeerOrg,
} from 'hyperkube';

const app = new App();
const chart = new FabricChart(app, 'fresh', {
  namespace: 'fresh',
  identities: new GeneratedIdentities({ seed: 'package-test-seed-0001' }),
});
const orderer = new Orderer(chart, 'orderer', { mspId: 'OrdererMSP', consenters: 3 });
const org1 = new PeerOrg(chart, 'org1', { mspId: 'Org1MSP', peers: 2 });
const org2 = new PeerOrg(chart, 'org2', { mspId: 'Org2MSP' });
const channel = new Channel(chart, 'mychannel', { orderers: [orderer], members: [org1, org2] });
new ExternalChaincode(chart, 'basic', {
  channel,
  image: 'registry.example.com/basic:1.0.0',
  version: '1.0.0',
  endorsementPolicy: EndorsementPolicy.signature("AND('Org1MSP.peer', 'Org2MSP.peer')"),
});
app.synth();
`;

interface PackedFile { path: string; size: number }
interface Packed { filename: string; size: number; unpackedSize: number; entryCount: number; files: PackedFile[] }

let work: string;
let tarball: string;
let packed: Packed;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'hyperkube-package-'));
  const packDir = join(work, 'pack');
  mkdirSync(packDir);
  const started = Date.now();
  // stdout is only the JSON report; prepack's build logs go to stderr.
  const report = run('npm', ['pack', '--json', '--pack-destination', packDir], REPO);
  packed = (JSON.parse(report) as Packed[])[0];
  tarball = join(packDir, packed.filename);
  console.log(`hyperkube package ${packed.filename}: ${packed.size} bytes packed, ${packed.unpackedSize} bytes unpacked, `
    + `${packed.entryCount} files (npm pack with build: ${((Date.now() - started) / 1000).toFixed(1)} s)`);
});

afterAll(() => {
  if (work && !process.env.HYPERKUBE_KEEP_PACKAGE_TEST) {
    rmSync(work, { recursive: true, force: true });
  }
});

test('the tarball holds the compiled library, its typings and its scripts, and nothing else', () => {
  const paths = packed.files.map((file) => file.path).sort();
  expect(paths.length).toBe(packed.entryCount);

  // Only what a user needs: the compiled library and the generated Kubernetes types.
  const unexpected = paths.filter((path) => !['package.json', 'README.md', 'LICENSE'].includes(path)
    && !path.startsWith('build/lib/') && !path.startsWith('build/imports/'));
  expect(unexpected).toEqual([]);
  expect(paths.filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'))).toEqual([]);
  expect(paths.filter((path) => /(^|\/)(test|apps|examples|e2e)(\/|$)|\.tgz$/.test(path))).toEqual([]);

  // main and types exist, and every public module comes with its typings.
  expect(paths).toContain(REPO_PACKAGE.main);
  expect(paths).toContain(REPO_PACKAGE.types);
  for (const js of paths.filter((path) => path.endsWith('.js'))) {
    expect(paths).toContain(js.replace(/\.js$/, '.d.ts'));
  }
  // Every script sits where lib/internal/script-library.ts reads it: beside the compiled lib.
  const scripts = filesUnder(join(REPO, 'lib')).filter((path) => path.endsWith('.sh'));
  expect(scripts.length).toBeGreaterThan(0);
  for (const script of scripts) {
    expect(paths).toContain(`build/${relative(REPO, script)}`);
  }

  // Plumbing stays out of the typings. stripInternal removes a declaration tagged `@internal` together
  // with its comment, so a tag left in a .d.ts is one that stripped nothing: stripInternal is off, or
  // the tag sits on no declaration (a file-level comment, say) and what it meant to hide is public.
  const unpacked = join(work, 'unpacked');
  mkdirSync(unpacked);
  run('tar', ['-xzf', tarball, '-C', unpacked], work);
  const root = join(unpacked, 'package');
  const typings = filesUnder(root).filter((path) => path.endsWith('.d.ts'));
  expect(typings.filter((file) => readFileSync(file, 'utf8').includes('@internal')).map((file) => relative(root, file))).toEqual([]);
  expect(readFileSync(join(root, 'build', 'lib', 'index.d.ts'), 'utf8')).toContain('ExternalChaincode');
});

test('a fresh cdk8s app installs the tarball offline, type-checks, and synthesizes what the sources do', () => {
  // GIVEN a fresh app that depends on the tarball, with the tsconfig `cdk8s init typescript-app` writes
  const app = join(work, 'fresh-app');
  mkdirSync(app);
  const devVersions = REPO_PACKAGE.devDependencies as Record<string, string>;
  writeJson(join(app, 'package.json'), {
    name: 'fresh-app',
    version: '1.0.0',
    private: true,
    dependencies: { 'cdk8s': devVersions.cdk8s, 'constructs': devVersions.constructs, 'hyperkube': fileSpec(app, tarball) },
    devDependencies: { '@types/node': devVersions['@types/node'] },
  });
  installOffline(app);
  cpSync(join(REPO, 'node_modules', 'cdk8s-cli', 'templates', 'typescript-app', 'tsconfig.json'), join(app, 'tsconfig.json'));
  writeFileSync(join(app, 'main.ts'), FRESH_MAIN);
  writeFileSync(join(app, 'cdk8s.yaml'), 'language: typescript\napp: node main.js\n');

  // WHEN it is compiled with the repository's TypeScript against the package's .d.ts, and synthesized
  run(join(BIN, 'tsc'), ['-p', app], app);
  run(join(BIN, 'cdk8s'), ['synth', '--check-upgrade=false'], app);

  // AND the same app is synthesized from lib/ (ts-node on the sources, as `npm run synth` does)
  const source = join(work, 'source-app');
  mkdirSync(source);
  writeFileSync(join(source, 'main.ts'), FRESH_MAIN.replace(`from 'hyperkube'`, `from ${JSON.stringify(join(REPO, 'lib'))}`));
  writeFileSync(join(source, 'cdk8s.yaml'),
    `language: typescript\napp: ${join(BIN, 'ts-node')} --transpile-only -P ${join(REPO, 'tsconfig.json')} main.ts\n`);
  run(join(BIN, 'cdk8s'), ['synth', '--check-upgrade=false'], source, { NODE_PATH: join(REPO, 'node_modules') });

  // THEN both give the same files, byte for byte
  const installed = readDist(join(app, 'dist'));
  const fromSources = readDist(join(source, 'dist'));
  expect(Object.keys(installed)).toEqual(['fresh.k8s.yaml']);
  expect(Object.keys(fromSources)).toEqual(Object.keys(installed));
  expect(installed['fresh.k8s.yaml']).toContain('kind: StatefulSet');
  expect(installed['fresh.k8s.yaml']).toContain('name: hyperkube-scripts');
  expect(installed['fresh.k8s.yaml'] === fromSources['fresh.k8s.yaml']).toBe(true);

  // AND the package's CLI runs from the app's node_modules/.bin, and draws the app from its dist/
  const help = run(join(app, 'node_modules', '.bin', 'hyperkube'), ['--help'], app);
  for (const command of ['status', 'wait', 'export', 'diagram']) {
    expect(help).toContain(command);
  }
  expect(run(join(app, 'node_modules', '.bin', 'hyperkube'), ['diagram', '--dist', 'dist'], app)).toMatch(/^flowchart/);
});

test("the README's example project, with the tarball, synthesizes and passes its own snapshot test", () => {
  // GIVEN a copy of examples/supply that installs the tarball; its dev tools are the repository's
  const example = join(REPO, 'examples', 'supply');
  const app = join(work, 'supply');
  cpSync(example, app, { recursive: true, filter: (path) => !/(^|\/)(node_modules|dist|__snapshots__|package-lock\.json)$/.test(path) });
  const manifest = readJson(join(app, 'package.json'));
  const tools = manifest.devDependencies as Record<string, string>;
  for (const [name, version] of Object.entries(tools)) {
    // The README tells users these versions; they are the ones this repository tests with.
    expect({ name, version }).toEqual({ name, version: REPO_PACKAGE.devDependencies[name] });
  }
  manifest.dependencies.hyperkube = fileSpec(app, tarball);
  delete manifest.devDependencies;
  writeJson(join(app, 'package.json'), manifest);
  installOffline(app);
  linkTools(app, Object.keys(tools));

  // WHEN its synth runs as the README says (cdk8s.yaml: `npx ts-node main.ts`, which type-checks),
  // first without the seed, then with it
  expect(() => run('npm', ['run', 'synth'], app, { SUPPLY_SEED: '' })).toThrow(/SUPPLY_SEED is not set/);
  run('npm', ['run', 'synth'], app, { SUPPLY_SEED: 'a-seed-from-the-secret-store-of-this-test' });
  const dist = readDist(join(app, 'dist'));
  expect(Object.keys(dist)).toEqual(['supply.k8s.yaml']);
  expect(dist['supply.k8s.yaml']).toContain('kind: Deployment');
  expect(dist['supply.k8s.yaml']).toContain('registry.example.com/orders-cc:1.4.0');

  // THEN its jest test writes the snapshot, and a second run (--ci: no writing) matches it
  run('npm', ['test', '--', '--ci=false'], app);
  const snapshots = join(app, '__snapshots__', 'supply-chart.test.ts.snap');
  expect(existsSync(snapshots)).toBe(true);
  expect(readFileSync(snapshots, 'utf8')).toContain('MakerMSP');
  run('npm', ['test', '--', '--ci'], app);
});

test('the README quotes every file of the example project, verbatim', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const example = join(REPO, 'examples', 'supply');
  const languages: Record<string, string> = { '.ts': 'ts', '.json': 'json', '.yaml': 'yaml' };
  const files = readdirSync(example).filter((name) => !['node_modules', 'dist', '__snapshots__', 'package-lock.json'].includes(name)).sort();
  expect(files).toEqual(['cdk8s.yaml', 'main.ts', 'package.json', 'supply-chart.test.ts', 'supply-chart.ts', 'tsconfig.json']);
  for (const file of files) {
    const block = `\`\`\`${languages[file.slice(file.lastIndexOf('.'))]}\n${readFileSync(join(example, file), 'utf8')}\`\`\``;
    expect({ file, quoted: readme.includes(block) }).toEqual({ file, quoted: true });
  }
});

/** Runs a command; on failure, throws with its output. Returns stdout. */
function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...env },
    });
  } catch (error) {
    const failure = error as { status?: number; stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${failure.status}\n`
      + `--- stdout\n${failure.stdout ?? ''}\n--- stderr\n${failure.stderr ?? ''}`);
  }
}

/**
 * `npm ci --offline` in `app`, with a lockfile holding the closure of its package.json's dependencies
 * (and of the tarball's) as the repository's package-lock.json resolves them.
 */
function installOffline(app: string): void {
  const manifest = readJson(join(app, 'package.json'));
  const repoLock = readJson(join(REPO, 'package-lock.json')).packages as Record<string, LockEntry>;
  const packages: Record<string, LockEntry> = {};
  const registry = run('npm', ['config', 'get', 'registry'], app).trim().replace(/\/?$/, '/');
  const tarballManifest = JSON.parse(run('tar', ['-xzOf', tarball, 'package/package.json'], app));
  const tarballEntry: LockEntry = {
    version: tarballManifest.version,
    resolved: fileSpec(app, tarball),
    integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
    license: tarballManifest.license,
    dependencies: tarballManifest.dependencies,
    peerDependencies: tarballManifest.peerDependencies,
    engines: tarballManifest.engines,
    // npm ci links (and makes executable) only the commands the lockfile names.
    bin: tarballManifest.bin,
  };

  const pending: Array<[string, string]> = [];
  const want = (from: string, names: Record<string, string> | undefined) => {
    for (const name of Object.keys(names ?? {})) {
      pending.push([from, name]);
    }
  };
  want('', { ...manifest.dependencies, ...manifest.devDependencies });
  while (pending.length > 0) {
    const [from, name] = pending.pop()!;
    if (name === tarballManifest.name) {
      if (!packages[`node_modules/${name}`]) {
        packages[`node_modules/${name}`] = tarballEntry;
        want(`node_modules/${name}`, { ...tarballEntry.dependencies, ...tarballEntry.peerDependencies });
      }
      continue;
    }
    const path = resolveInLock(repoLock, from, name);
    if (path === undefined || packages[path]) {
      continue;
    }
    const { dev, devOptional, peer, optional, ...entry } = repoLock[path];
    void dev; void devOptional; void peer; void optional;
    // The repository's lockfile omits registry URLs; with them npm ci needs no registry metadata.
    if (entry.resolved === undefined && !entry.inBundle && !entry.link) {
      const basename = name.split('/').pop();
      entry.resolved = `${registry}${name}/-/${basename}-${entry.version}.tgz`;
    }
    packages[path] = entry;
    want(path, { ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies });
  }
  for (const name of Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })) {
    if (!packages[`node_modules/${name}`]) {
      throw new Error(`${name}, a dependency of ${app}, is not in the repository's package-lock.json`);
    }
  }
  writeJson(join(app, 'package-lock.json'), {
    name: manifest.name,
    version: manifest.version,
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: manifest.name, version: manifest.version, dependencies: manifest.dependencies, devDependencies: manifest.devDependencies },
      ...Object.fromEntries(Object.entries(packages).sort(([a], [b]) => a.localeCompare(b))),
    },
  });
  run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], app);
}

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  [key: string]: unknown;
}

/** Where Node would find `name` required from the package at lock path `from` ('' for the root). */
function resolveInLock(lock: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = `${dir === '' ? '' : `${dir}/`}node_modules/${name}`;
    if (lock[candidate]) {
      return candidate;
    }
    if (dir === '') {
      return undefined; // an optional dependency not installed for this platform
    }
    dir = dir.slice(0, dir.lastIndexOf('node_modules/')).replace(/\/$/, '');
  }
}

/** Links the repository's dev tools (jest, ts-node, ...) and their commands into `app`. */
function linkTools(app: string, names: string[]): void {
  const bin = join(app, 'node_modules', '.bin');
  mkdirSync(bin, { recursive: true });
  for (const name of names) {
    const target = join(app, 'node_modules', name);
    mkdirSync(dirname(target), { recursive: true });
    // A tool may be there already as a dependency's dependency (@types/node): the repository's wins.
    rmSync(target, { recursive: true, force: true });
    symlinkSync(join(REPO, 'node_modules', name), target, 'dir');
    const commands = readJson(join(REPO, 'node_modules', name, 'package.json')).bin;
    const entries = typeof commands === 'string' ? { [name]: commands } : (commands ?? {});
    for (const command of Object.keys(entries)) {
      if (!existsSync(join(bin, command))) {
        symlinkSync(join(BIN, command), join(bin, command));
      }
    }
  }
}

/** The `file:` spec of `path` relative to `app`, as npm writes it. */
function fileSpec(app: string, path: string): string {
  return `file:${relative(app, path)}`;
}

function readDist(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((file) => [file, readFileSync(join(dir, file), 'utf8')]));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function readJson(path: string): any {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}
