import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Testing } from 'cdk8s';
import { FabricChart, ImportedIdentities, ImportedIdentitiesProps, PeerOrg, StateDatabase } from '../../lib';
import { TestNetwork } from '../../apps/test-network/network';
import { find, holdsPrivateKey, hygieneProblems, KubeObject } from '../util';
import { referenceCryptoFolder } from './crypto-fixture';

const ORDERER_FOLDER = { orderer: 'ordererOrganizations/example.com' };

/** The reference network with identities imported from `directory`, synthesized into a temporary outdir. */
function synthImported(directory: string, props: Partial<ImportedIdentitiesProps> = {}, chaincodeTls = false) {
  const app = Testing.app();
  const chart = new TestNetwork(app, 'test-network', {
    identities: new ImportedIdentities({ directory, organizations: ORDERER_FOLDER, ...props }),
    chaincodeTls,
  });
  app.synth();
  return { app, chart, objects: Testing.synth(chart) as KubeObject[], script: readFileSync(join(app.outdir, 'test-network.import-identities.sh'), 'utf8') };
}

describe('ImportedIdentities', () => {
  let crypto: string;
  beforeAll(() => { crypto = referenceCryptoFolder(); });
  afterAll(() => rmSync(crypto, { recursive: true, force: true }));

  test('GIVEN a cryptogen folder WHEN the reference network imports it THEN the manifests carry its CA certificates, no Secret or key, and pass the hygiene rules', () => {
    const { objects } = synthImported(crypto);
    expect(hygieneProblems(objects)).toEqual([]);
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    expect(objects.filter(holdsPrivateKey)).toEqual([]);
    const signingCa = readFileSync(join(crypto, 'peerOrganizations/org1.example.com/msp/cacerts/ca.org1.example.com-cert.pem'), 'utf8');
    const tlsCa = readFileSync(join(crypto, 'ordererOrganizations/example.com/msp/tlscacerts/tlsca.example.com-cert.pem'), 'utf8');
    expect(find(objects, 'ConfigMap', 'org1-msp').data['ca.pem']).toBe(signingCa);
    expect(find(objects, 'ConfigMap', 'orderer-msp').data['tlsca.pem']).toBe(tlsCa);
  });

  test('GIVEN a cryptogen folder WHEN synthesized THEN the import script names every Secret with its files, relative to the script, and holds no key', () => {
    const { script, app } = synthImported(crypto);
    expect(script).not.toContain('PRIVATE KEY');
    expect(script).toContain('NAMESPACE=fabric');
    const peer = script.split('\n').find((line) => line.startsWith('identity org1-peer0-identity '));
    expect(peer).toContain("'statefulset/org1-peer0'");
    for (const file of ['msp/signcerts/cert.pem', 'msp/keystore/priv_sk', 'tls/server.crt', 'tls/server.key']) {
      expect(peer).toContain(`${join(crypto, 'peerOrganizations/org1.example.com/peers/peer0.org1.example.com', file).replace(`${join(app.outdir, '..')}/`, '../')}`.replace(/^.*peerOrganizations/, 'peerOrganizations'));
    }
    expect(script).toMatch(/^identity org1-admin '.*' '' 'cert.pem=[^']*users\/Admin@org1.example.com\/msp\/signcerts\/cert.pem'/m);
    expect(script).toMatch(/^identity org1-user1 .* 'cert.pem=[^']*users\/User1@org1.example.com\/msp\/signcerts\/cert.pem' 'key.pem=[^']*priv_sk'$/m);
    execFileSync('bash', ['-n', join(app.outdir, 'test-network.import-identities.sh')]);
  });

  test('GIVEN a peer with CouchDB WHEN synthesized THEN the script makes its password in the cluster, once', () => {
    const app = Testing.app();
    const chart = new FabricChart(app, 'net', { identities: new ImportedIdentities({ directory: crypto }) });
    new PeerOrg(chart, 'org1', { mspId: 'Org1MSP', stateDatabase: StateDatabase.COUCHDB });
    app.synth();
    expect(readFileSync(join(app.outdir, 'net.import-identities.sh'), 'utf8')).toMatch(/^password org1-peer0-couchdb '[^']*app.kubernetes.io\/component=peer[^']*' 'admin'$/m);
  });

  test('GIVEN an identity folder named in identities WHEN synthesized THEN that folder is imported', () => {
    const { script } = synthImported(crypto, { identities: { 'org2-user1': 'users/User2@org2.example.com' } });
    expect(script).toMatch(/^identity org2-user1 .*users\/User2@org2.example.com\/msp\/signcerts/m);
  });

  test('GIVEN certificates that Fabric would refuse WHEN synthesized THEN each is refused at synth, naming the file and the fix', () => {
    const tls = join(crypto, 'peerOrganizations/org1.example.com/peers/peer0.org1.example.com/tls/server.crt');
    const signing = join(crypto, 'peerOrganizations/org1.example.com/peers/peer0.org1.example.com/msp/signcerts/cert.pem');
    const good = { tls: readFileSync(tls, 'utf8'), signing: readFileSync(signing, 'utf8') };
    const other = referenceCryptoFolder('elsewhere');
    try {
      writeFileSync(tls, readFileSync(join(other, 'peerOrganizations/org1.example.com/peers/peer0.org1.example.com/tls/server.crt')));
      expect(() => synthImported(crypto)).toThrow(/server\.crt does not name org1-peer0\.fabric, org1-peer0\.fabric\.svc, org1-peer0\.fabric\.svc\.cluster\.local, which clients dial; add them to the SANS of that node in crypto-config\.yaml/);
      writeFileSync(tls, good.tls);
      writeFileSync(signing, readFileSync(join(crypto, 'peerOrganizations/org1.example.com/users/User1@org1.example.com/msp/signcerts/cert.pem')));
      expect(() => synthImported(crypto)).toThrow(/cert\.pem has no organizational unit peer \(it has client\); generate the folder with `EnableNodeOUs: true`/);
      writeFileSync(signing, readFileSync(join(crypto, 'peerOrganizations/org2.example.com/peers/peer0.org2.example.com/msp/signcerts/cert.pem')));
      expect(() => synthImported(crypto)).toThrow(/cert\.pem \(.*\) was not issued by the CA in .*cacerts\/ca\.org1\.example\.com-cert\.pem/);
    } finally {
      writeFileSync(tls, good.tls);
      writeFileSync(signing, good.signing);
      rmSync(other, { recursive: true, force: true });
    }
  });

  test('GIVEN folders that cannot be found WHEN synthesized THEN the error says where it looked and how to name the folder', () => {
    expect(() => synthImported(crypto, { organizations: {} })).toThrow("ImportedIdentities: cannot tell which folder of " + crypto + " holds organization orderer (found none); name it with organizations: { orderer: 'peerOrganizations/orderer.example.com' }.");
    expect(() => synthImported(crypto, {}, true)).toThrow(/has no folder for identity cc-basic-mychannel-org1-[0-9a-f]+ \(Secret cc-basic-mychannel-org1-[0-9a-f]+-tls\).* or for a chaincode server, whose name changes with each revision, set tls: false on the ExternalChaincode\./);
    expect(() => synthImported(crypto, { identities: { 'org1-user1': 'users/Nobody' } })).toThrow(/the identity folder .*users\/Nobody does not exist/);
    expect(() => new ImportedIdentities({} as never)).toThrow('ImportedIdentities: directory must be a string, got undefined. Write it like "crypto-config".');
    expect(() => new ImportedIdentities({ directory: crypto, folders: {} } as never)).toThrow(/ImportedIdentities: .*folders/);
  });

  test('GIVEN the same app WHEN synthesized twice THEN the script is the same', () => {
    const first = synthImported(crypto).script;
    expect(synthImported(crypto).script).toBe(first);
    expect(new App().outdir).toBe('dist');
  });
});
