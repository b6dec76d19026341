import { Duration, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  Channel, EndorsementPolicy, ExternalChaincode, FabricChart, ImplicitMetaRule, Orderer, PeerOrg, ResourceSettings, StateDatabase,
} from '../../lib';
import { developmentIdentities, hygieneProblems, KubeObject } from '../util';

/**
 * Random valid networks, synthesized: each must synthesize, and its manifests must pass every
 * hygiene check (unique names within each kind and within Kubernetes' limits, valid quantities,
 * pinned images, no key material outside Secrets, ...). Names run up to the limits the library
 * and Fabric allow. Prefixes keep the names of different organizations and channels apart, so a
 * failure is the library's, not a coincidence of two names the generator chose.
 */

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const UPPER = LOWER.toUpperCase();

/** Strings of `alphabet`, `min` to `max` long. */
function text(alphabet: string, min: number, max: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...alphabet.split('')), minLength: min, maxLength: max });
}

/** A DNS label of at most `max` starting with `prefix`: the rest of [a-z0-9-], ending alphanumeric. */
function labelWithPrefix(prefix: string, max: number): fc.Arbitrary<string> {
  return fc.tuple(text(`${LOWER}${DIGITS}-`, 0, max - prefix.length - 1), text(`${LOWER}${DIGITS}`, 1, 1))
    .map(([middle, last]) => `${prefix}${middle}${last}`);
}

/** An MSP ID starting with `prefix`: letters, digits, '.' and '-', usually short, sometimes up to Fabric's 249. */
function mspId(prefix: string): fc.Arbitrary<string> {
  const tail = (max: number) => text(`${LOWER}${UPPER}${DIGITS}.-`, 0, max).map((rest) => `${prefix}${rest}`);
  return fc.oneof({ arbitrary: tail(12), weight: 4 }, { arbitrary: tail(249 - prefix.length), weight: 1 });
}

const storage = fc.constantFrom('1Gi', '500Mi', '10G', '1Ti', '1.5Gi', '2e9', '1073741824');
const logSpec = fc.constantFrom('INFO', 'debug', 'WARNING', 'info:gossip=warn', 'gossip,msp.=DEBUG:error', '');
const cpu = ['10m', '100m', '250m', '0.5', '1', '1500m', '2', '4'];
const memory = ['64Mi', '128Mi', '256M', '1Gi', '1.5Gi', '4Gi', '8G'];

/** Resource settings whose requests are at most their limits, or none. */
const resources: fc.Arbitrary<ResourceSettings | undefined> = fc.option(
  fc.tuple(fc.nat(cpu.length - 1), fc.nat(cpu.length - 1), fc.nat(memory.length - 1), fc.nat(memory.length - 1)).map(([c1, c2, m1, m2]) => ({
    cpuRequest: cpu[Math.min(c1, c2)], cpuLimit: cpu[Math.max(c1, c2)], memoryRequest: memory[Math.min(m1, m2)], memoryLimit: memory[Math.max(m1, m2)],
  })),
  { nil: undefined },
);

const image = fc.tuple(
  fc.constantFrom('', 'registry.example.com/', 'registry.example.com:5000/', 'localhost/', '[::1]:5000/'),
  fc.constantFrom('cc', 'team/cc', 'team/sub_group/cc-server', 'a.b/c__d'),
  fc.oneof(text(`${LOWER}${UPPER}${DIGITS}_`, 1, 1).chain((first) => text(`${LOWER}${UPPER}${DIGITS}_.-`, 0, 20).map((rest) => `:${first}${rest}`)),
    fc.constant(`@sha256:${'0123456789abcdef'.repeat(4)}`)),
).filter(([, , tag]) => tag !== ':latest').map(([registry, path, tag]) => `${registry}${path}${tag}`);

const rule = fc.constantFrom(ImplicitMetaRule.ANY, ImplicitMetaRule.MAJORITY, ImplicitMetaRule.ALL);
const picks = fc.array(fc.boolean(), { minLength: 8, maxLength: 8 });

/** A chaincode name: segments of letters and digits joined by '-' or '_', up to about 100 long. */
const chaincodeName = fc.tuple(fc.constantFrom('K', 'k'), fc.array(fc.tuple(fc.oneof(text(`${LOWER}${DIGITS}`, 1, 20), text(`${LOWER}${UPPER}${DIGITS}`, 1, 20)), fc.constantFrom('-', '-', '_')), { minLength: 1, maxLength: 5 }))
  .map(([first, segments]) => `${first}${segments.map(([segment, joiner], index) => (index === 0 ? segment : `${joiner}${segment}`)).join('')}`);

const chaincode = fc.record({
  name: chaincodeName,
  image,
  version: text(`${LOWER}${UPPER}${DIGITS}_.+-`, 1, 12),
  orgPicks: picks,
  ownPolicy: fc.boolean(),
  collection: fc.option(fc.record({ name: text(`${LOWER}${UPPER}${DIGITS}-`, 1, 1).chain((first) => text(`${LOWER}${DIGITS}_-`, 0, 30).map((rest) => `${first}${rest}`)), memberPicks: picks, required: fc.nat(4), extra: fc.nat(3), blockToLive: fc.nat(1000) }), { nil: undefined }),
  replicas: fc.integer({ min: 0, max: 2 }),
  tls: fc.boolean(),
  initRequired: fc.boolean(),
  resources,
  env: fc.dictionary(text(UPPER, 1, 1).chain((first) => text(`${UPPER}${DIGITS}_`, 0, 10).map((rest) => `E${first}${rest}`)), text(`${LOWER}${DIGITS} `, 0, 10), { maxKeys: 2 }),
});

const topology = fc.record({
  namespace: labelWithPrefix('n', 63),
  fabricVersion: fc.constantFrom('2.5.9', '2.5.13', '2.5'),
  storageClassName: fc.option(fc.constantFrom('fast-ssd', 'standard', 'a.b-c', ''), { nil: undefined }),
  orderers: fc.array(fc.record({ consenters: fc.integer({ min: 1, max: 3 }), storage, logSpec, resources }), { minLength: 1, maxLength: 2 }),
  peerOrgs: fc.array(fc.record({
    peers: fc.integer({ min: 1, max: 2 }),
    anchorPicks: picks,
    users: fc.uniqueArray(text(LOWER, 0, 19).map((rest) => `u${rest}`), { maxLength: 2 }),
    stateDatabase: fc.constantFrom(StateDatabase.LEVELDB, StateDatabase.COUCHDB),
    storage,
    logSpec,
    resources,
  }), { minLength: 1, maxLength: 3 }),
  orgLabels: fc.array(labelWithPrefix('x', 37), { minLength: 6, maxLength: 6 }),
  orgMsps: fc.array(mspId('x'), { minLength: 6, maxLength: 6 }),
  channels: fc.array(fc.record({
    name: fc.oneof(text(`${LOWER}${DIGITS}.-`, 0, 20), text(`${LOWER}${DIGITS}.-`, 200, 245)),
    ordererPicks: picks,
    memberPicks: picks,
    admins: rule,
    lifecycleEndorsement: rule,
    endorsement: rule,
    absoluteMaxBytes: fc.constantFrom('99 MB', '10MB', '2m', '1 G', '1048576', '0x100000', '3gb'),
    preferredMaxBytes: fc.constantFrom('512 KB', '1k', '64kb', '0x400', '524288'),
    maxMessageCount: fc.integer({ min: 1, max: 1000 }),
    batchTimeoutMs: fc.integer({ min: 1, max: 10_000 }),
    chaincodes: fc.uniqueArray(chaincode, { maxLength: 2, selector: (cc) => cc.name }),
  }), { minLength: 1, maxLength: 2 }),
});

type Topology = typeof topology extends fc.Arbitrary<infer T> ? T : never;

/** The items of `all` that `picks` selects, at least `min` of them (filled up in order). */
function pick<T>(all: T[], picks: boolean[], min = 1): T[] {
  const chosen = all.filter((_, index) => picks[index % picks.length]);
  for (const item of all) {
    if (chosen.length >= Math.min(min, all.length)) {
      break;
    }
    if (!chosen.includes(item)) {
      chosen.push(item);
    }
  }
  return all.filter((item) => chosen.includes(item));
}

function threshold(rule: ImplicitMetaRule, count: number): number {
  return rule === ImplicitMetaRule.ANY ? 1 : rule === ImplicitMetaRule.ALL ? count : Math.floor(count / 2) + 1;
}

/** Builds `t` as a chart. */
function build(t: Topology): FabricChart {
  const chart = new FabricChart(Testing.app(), 'net', {
    namespace: t.namespace, fabricVersion: t.fabricVersion, storageClassName: t.storageClassName, identities: developmentIdentities(),
  });
  // Names and MSP IDs carry the org's kind and position first, so no two orgs' derived names meet.
  const orderers = t.orderers.map((o, i) => new Orderer(chart, `orderer${i}`, {
    name: `d${i}${t.orgLabels[i]}`.slice(0, 40).replace(/-+$/, ''), mspId: `N${i}${t.orgMsps[i]}`.slice(0, 249),
    consenters: o.consenters, storage: o.storage, logSpec: o.logSpec, resources: o.resources,
  }));
  const peerOrgs = t.peerOrgs.map((p, i) => new PeerOrg(chart, `org${i}`, {
    name: `o${i}${t.orgLabels[i + 3]}`.slice(0, 40).replace(/-+$/, ''), mspId: `M${i}${t.orgMsps[i + 3]}`.slice(0, 249),
    peers: p.peers, anchorPeers: pick([...Array(p.peers).keys()], p.anchorPicks), users: p.users,
    stateDatabase: p.stateDatabase, storage: p.storage, logSpec: p.logSpec, resources: p.resources,
  }));
  t.channels.forEach((c, k) => {
    const members = pick(peerOrgs, c.memberPicks);
    const channel = new Channel(chart, `channel${k}`, {
      name: `ch${k}z${c.name}`.slice(0, 249),
      orderers: pick(orderers, c.ordererPicks),
      members,
      policies: { admins: c.admins, lifecycleEndorsement: c.lifecycleEndorsement, endorsement: c.endorsement },
      batchTimeout: Duration.millis(c.batchTimeoutMs),
      batchSize: { maxMessageCount: c.maxMessageCount, absoluteMaxBytes: c.absoluteMaxBytes, preferredMaxBytes: c.preferredMaxBytes },
    });
    c.chaincodes.forEach((cc, j) => {
      const needed = Math.max(threshold(c.lifecycleEndorsement, members.length), cc.ownPolicy ? 1 : threshold(c.endorsement, members.length));
      const orgs = pick(members, cc.orgPicks, needed);
      const collectionOrgs = cc.collection ? pick(members, cc.collection.memberPicks) : [];
      const memberPeers = collectionOrgs.reduce((sum, org) => sum + org.peers.length, 0);
      const reachable = orgs.every((org) => collectionOrgs.includes(org)) ? memberPeers - 1 : memberPeers;
      const required = cc.collection ? Math.min(cc.collection.required, reachable) : 0;
      new ExternalChaincode(chart, `cc${k}-${j}`, {
        channel,
        name: cc.name,
        image: cc.image,
        version: cc.version,
        orgs,
        endorsementPolicy: cc.ownPolicy ? EndorsementPolicy.signature(`OR(${orgs.map((org) => `'${org.mspId}.peer'`).join(', ')})`) : undefined,
        collections: cc.collection ? [{
          name: cc.collection.name,
          policy: `OR(${collectionOrgs.map((org) => `'${org.mspId}.member'`).join(', ')})`,
          requiredPeerCount: required,
          maxPeerCount: required + cc.collection.extra,
          blockToLive: cc.collection.blockToLive,
        }] : undefined,
        replicas: cc.replicas,
        tls: cc.tls,
        initRequired: cc.initRequired,
        resources: cc.resources,
        env: cc.env,
      });
    });
  });
  return chart;
}

describe('random valid networks', () => {
  test('GIVEN a random valid topology (orgs, peers, consenters, channels, chaincodes, names near their limits) WHEN synthesized THEN it synthesizes and every object passes the hygiene checks', () => {
    fc.assert(fc.property(topology, (t) => {
      const objects = Testing.synth(build(t)) as KubeObject[];
      expect(hygieneProblems(objects)).toEqual([]);
      expect(objects.filter((object) => object.kind === 'StatefulSet').every((set) => set.metadata.name.length <= 52)).toBe(true);
    }), { numRuns: 30, interruptAfterTimeLimit: 45_000, markInterruptAsFailure: true });
  }, 60_000);
});
