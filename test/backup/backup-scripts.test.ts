import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runWithFakes, scriptFolder, toolPath } from '../internal/script-runner';

/** A protobuf varint. */
function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 128) {
    bytes.push((rest % 128) + 128);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/**
 * A Fabric block file holding blocks `first` to `last`, each laid out as blkstorage writes it
 * (varint length, then the block starting with its varint number), and optionally the start of
 * one more block cut off, as a node stopped mid-write leaves it.
 */
function blockFile(first: number, last: number, cutOff = false): Buffer {
  const entries: Buffer[] = [];
  for (let number = first; number <= last + (cutOff ? 1 : 0); number++) {
    const block = Buffer.concat([varint(number), Buffer.alloc(140 + (number % 7), number % 251)]);
    const entry = Buffer.concat([varint(block.length), block]);
    entries.push(number > last ? entry.subarray(0, 20) : entry);
  }
  return Buffer.concat(entries);
}

function write(path: string, content: Buffer | string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

const ORDERERS = ['orderer-node0', 'orderer-node1', 'orderer-node2'];
const PEERS = ['org1-peer0', 'org2-peer0'];

/** Ledgers of a running network: orderers at height 131 of mychannel, peers at 130, CouchDB data beside them. */
function writeLedgers(root: string): void {
  for (const node of ORDERERS) {
    write(join(root, node, 'orderer/chains/mychannel/blockfile_000000'), blockFile(0, 130, true));
    write(join(root, node, 'orderer/chains/other/blockfile_000000'), blockFile(0, 2));
    write(join(root, node, 'orderer/etcdraft/wal/mychannel/0000000000000000-0000000000000000.wal'), `wal of ${node}`);
  }
  for (const node of PEERS) {
    // A rotated store: the newest file holds the last blocks.
    write(join(root, node, 'peer/ledgersData/chains/chains/mychannel/blockfile_000000'), blockFile(0, 99));
    write(join(root, node, 'peer/ledgersData/chains/chains/mychannel/blockfile_000001'), blockFile(100, 129));
    write(join(root, node, 'couchdb/shards/mychannel_basic.couch'), `state of ${node}`);
  }
}

interface Cluster {
  dir: string;
  store: string;
  ledgers: string;
  env: Record<string, string>;
}

/** A fake cluster of the reference network: every node running, its agent stopped, a volume store. */
function cluster(unready: string[] = []): Cluster {
  const dir = mkdtempSync(join(tmpdir(), 'hyperkube-backup-'));
  const account = join(dir, 'account');
  write(join(account, 'token'), 'token');
  write(join(account, 'namespace'), 'fabric');
  write(join(account, 'ca.crt'), 'ca');
  const statefulsets: Record<string, object> = {};
  for (const node of [...ORDERERS, ...PEERS]) {
    statefulsets[node] = { replicas: 1, annotations: {}, unready: unready.includes(node) };
    statefulsets[`${node}-backup`] = { replicas: 0, annotations: {} };
  }
  write(join(dir, 'state.json'), JSON.stringify({ statefulsets }));
  write(join(dir, 'events.log'), '');
  const ledgers = join(dir, 'ledgers');
  writeLedgers(ledgers);
  const store = join(dir, 'store');
  mkdirSync(store);
  return {
    dir,
    store,
    ledgers,
    env: {
      KUBERNETES_SERVICE_HOST: 'kube.test', KUBE_ACCOUNT_DIR: account, FAKE_KUBE_STATE: dir, FAKE_STORE_DIR: store, SCRIPT_FOLDER: scriptFolder(),
      STORE_KIND: 'volume', STORE_DIR: store, NETWORK: 'test-network', BACKUP_PREFIX: 'test-network',
      NODES: [...PEERS.map((node) => `${node}=peer`), ...ORDERERS.map((node) => `${node}=orderer`)].join(' '),
      CONSENTER_SETS: ORDERERS.join(','),
    },
  };
}

const FAKE_CURL = `exec node ${JSON.stringify(join(__dirname, 'fake-statefulsets.js'))} "$@"`;

function backup(target: Cluster, env: Record<string, string> = {}) {
  return runWithFakes('backup-network.sh', { curl: FAKE_CURL }, { ...target.env, ...env });
}

function events(target: Cluster): string[] {
  return readFileSync(join(target.dir, 'events.log'), 'utf8').trim().split('\n').filter(Boolean);
}

function replicas(target: Cluster): Record<string, number> {
  const { statefulsets } = JSON.parse(readFileSync(join(target.dir, 'state.json'), 'utf8'));
  return Object.fromEntries(Object.entries(statefulsets).map(([name, set]) => [name, (set as { replicas: number }).replicas]));
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Runs restore-node.sh for `node` into `ledger`, reading backup `backup` from `store`. */
function restore(node: string, ledger: string, store: string, backupName: string) {
  mkdirSync(ledger, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'hyperkube-restore-work-'));
  return spawnSync('bash', [join(scriptFolder(), 'restore-node.sh')], {
    encoding: 'utf8',
    env: { PATH: toolPath(), NODE: node, BACKUP_NAME: backupName, LEDGER_DIR: ledger, WORK_DIR: work, STORE_KIND: 'volume', STORE_DIR: store },
  });
}

function listFiles(root: string, prefix = ''): string[] {
  return readdirSync(join(root, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(root, path) : [path];
  }).sort();
}

describe('backup-network.sh with the backup agents (backup-node.sh)', () => {
  jest.setTimeout(120_000);

  test('GIVEN a running network WHEN it is backed up THEN each node is stopped, copied by its agent and started again, one at a time, and the manifest lists every node with its heights, size and sha256', () => {
    const target = cluster();
    const result = backup(target, { BACKUP_NAME: 'first' });
    expect(result.stderr).toContain('backup first complete');
    expect(result.status).toBe(0);
    const perNode = (node: string) => [`${node} replicas 0`, `${node}-backup replicas 1`, `${node}-backup replicas 0`, `${node} replicas 1`];
    expect(events(target)).toEqual([...PEERS, ...ORDERERS].flatMap(perNode));
    expect(Object.values(replicas(target)).sort()).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    const manifest = JSON.parse(readFileSync(join(target.store, 'first/manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ backup: 'first', network: 'test-network', namespace: 'fabric' });
    expect(manifest.nodes.map((node: any) => [node.node, node.kind, node.heights])).toEqual([
      ...PEERS.map((node) => [node, 'peer', { mychannel: 130 }]),
      ...ORDERERS.map((node) => [node, 'orderer', { mychannel: 131, other: 3 }]),
    ]);
    for (const node of manifest.nodes) {
      const archive = join(target.store, 'first', node.archive);
      expect(node.sha256).toBe(sha256(archive));
      expect(node.bytes).toBe(readFileSync(archive).length);
    }
  });

  test('GIVEN a complete backup WHEN each node is restored into an empty volume THEN the volume holds exactly the backed-up files, checked against the manifest', () => {
    const target = cluster();
    expect(backup(target, { BACKUP_NAME: 'first' }).status).toBe(0);
    for (const node of [...ORDERERS, ...PEERS]) {
      const ledger = join(target.dir, 'restored', node);
      const result = restore(node, ledger, target.store, 'first');
      expect(result.stderr).toContain(`restored ${node} from backup first (sha256`);
      expect(result.status).toBe(0);
      expect(listFiles(ledger)).toEqual([...listFiles(join(target.ledgers, node)), '.hyperkube-restored'].sort());
      for (const file of listFiles(join(target.ledgers, node))) {
        expect(readFileSync(join(ledger, file))).toEqual(readFileSync(join(target.ledgers, node, file)));
      }
    }
  });

  test('GIVEN a consenter that is not ready WHEN the network is backed up THEN the backup refuses before stopping another consenter, and every node keeps running', () => {
    const target = cluster(['orderer-node2']);
    const result = backup(target, { BACKUP_NAME: 'first' });
    expect(result.stderr).toContain('REFUSED: stopping consenter orderer-node0 would leave 1 of the 3 consenters orderer-node0,orderer-node1,orderer-node2 ready, fewer than the 2 a Raft majority needs');
    expect(result.status).toBe(3);
    expect(events(target)).toEqual(PEERS.flatMap((node) => [`${node} replicas 0`, `${node}-backup replicas 1`, `${node}-backup replicas 0`, `${node} replicas 1`]));
    expect(existsSync(join(target.store, 'first/manifest.json'))).toBe(false);
  });

  test('GIVEN an agent that cannot copy its node WHEN the network is backed up THEN the Job fails with the agent\'s words and the node runs again', () => {
    const target = cluster();
    rmSync(join(target.ledgers, 'orderer-node1'), { recursive: true });
    const result = backup(target, { BACKUP_NAME: 'first' });
    expect(result.stderr).toMatch(/ERROR: the backup agent of orderer-node1 failed: .*ERROR: the ledger volume of orderer-node1 is not mounted at /);
    expect(result.status).toBe(1);
    expect(events(target).slice(-3)).toEqual(['orderer-node1-backup replicas 1', 'orderer-node1-backup replicas 0', 'orderer-node1 replicas 1']);
    expect(Object.values(replicas(target)).sort()).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
  });

  test('GIVEN a complete backup WHEN the Job runs again with its name THEN it stops no node', () => {
    const target = cluster();
    expect(backup(target, { BACKUP_NAME: 'first' }).status).toBe(0);
    const before = events(target).length;
    const again = backup(target, { BACKUP_NAME: 'first' });
    expect(again.stderr).toContain('backup first is already complete');
    expect(again.status).toBe(0);
    expect(events(target)).toHaveLength(before);
  });

  test('GIVEN a scheduled run (no backup name) WHEN it runs THEN the backup is named after the network and the UTC time', () => {
    const target = cluster();
    expect(backup(target, { BACKUP_NAME: '' }).status).toBe(0);
    const [name] = readdirSync(target.store);
    expect(name).toMatch(/^test-network-\d{8}-\d{6}$/);
    expect(JSON.parse(readFileSync(join(target.store, name, 'manifest.json'), 'utf8')).backup).toBe(name);
  });
});

describe('restore-node.sh', () => {
  jest.setTimeout(60_000);
  let target: Cluster;
  beforeAll(() => {
    target = cluster();
    expect(backup(target, { BACKUP_NAME: 'first' }).status).toBe(0);
  });

  test('GIVEN a volume that holds data WHEN the node is restored THEN it is refused, naming the data and the fix, and nothing is written', () => {
    const ledger = join(target.dir, 'busy');
    write(join(ledger, 'peer/ledgersData/other'), 'live data');
    const result = restore('org1-peer0', ledger, target.store, 'first');
    expect(result.stderr).toContain('REFUSED: the ledger volume of org1-peer0 (PVC ledger-org1-peer0-0) already holds data (peer); a restore fills only empty volumes and never mixes two ledgers. To restore backup first here, delete that PVC and this pod (the data on it is lost), or restore into a new namespace; to keep the data, remove restoreFrom from the NetworkBackup.');
    expect(result.status).toBe(3);
    expect(listFiles(ledger)).toEqual(['peer/ledgersData/other']);
  });

  test('GIVEN a volume restored from the backup WHEN the pod starts again THEN the restore lets the node run on its data', () => {
    const ledger = join(target.dir, 'again');
    expect(restore('org2-peer0', ledger, target.store, 'first').status).toBe(0);
    write(join(ledger, 'peer/new-block'), 'written by the running peer');
    const result = restore('org2-peer0', ledger, target.store, 'first');
    expect(result.stderr).toContain('org2-peer0 was restored from backup first already; starting on its data');
    expect(result.status).toBe(0);
    const other = restore('org2-peer0', ledger, target.store, 'second');
    expect(other.stderr).toContain('REFUSED: the ledger volume of org2-peer0 was restored from backup first, not second');
  });

  test('GIVEN a copy damaged in the store WHEN the node is restored THEN its checksum mismatch fails the restore and leaves the volume empty', () => {
    const damaged = join(target.dir, 'damaged-store');
    spawnSync('cp', ['-r', target.store, damaged]);
    writeFileSync(join(damaged, 'first/orderer-node0.tar.gz'), Buffer.concat([readFileSync(join(damaged, 'first/orderer-node0.tar.gz')), Buffer.from('x')]));
    const ledger = join(target.dir, 'from-damaged');
    const result = restore('orderer-node0', ledger, damaged, 'first');
    expect(result.stderr).toMatch(/ERROR: the copy of orderer-node0 in backup first has sha256 [0-9a-f]{64}, not [0-9a-f]{64} as its manifest says/);
    expect(result.status).toBe(1);
    expect(readdirSync(ledger)).toEqual([]);
  });

  test('GIVEN a backup without the node or without a manifest WHEN the node is restored THEN it is refused, saying what the backup holds', () => {
    const missingNode = restore('org3-peer0', join(target.dir, 'org3'), target.store, 'first');
    expect(missingNode.stderr).toContain('REFUSED: backup first holds no copy of node org3-peer0 (it holds org1-peer0, org2-peer0, orderer-node0, orderer-node1, orderer-node2)');
    expect(missingNode.status).toBe(3);
    const incomplete = restore('org1-peer0', join(target.dir, 'none'), target.store, 'never-taken');
    expect(incomplete.stderr).toContain('REFUSED: backup never-taken has no manifest.json in the volume at');
    expect(incomplete.status).toBe(3);
  });
});
