import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Testing } from 'cdk8s';
import { FabricChart, GeneratedIdentities, PeerOrg } from '../../lib';
import { _resetDevelopmentSeedWarning } from '../../lib/core/fabric-chart';
import { TestNetwork } from '../../apps/test-network/network';
import { developmentIdentities, find, holdsPrivateKey, KubeObject, podSpec, synthTestNetwork, testChart } from '../util';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('chart', () => {
  test.each([['hyperledger/fabric-peer'], ['hyperledger/fabric-peer:latest'], ['registry.example.com:5000/fabric/peer']])('GIVEN image %s WHEN used THEN it is refused as unpinned, with an example of the same image pinned', (peer) => {
    expect(() => testChart('net', { images: { peer } })).toThrow(`FabricChart net: images.peer "${peer}" is not pinned. Give an explicit version tag or digest (for example "${peer.replace(/:latest$/, '')}:1.0.0")`);
  });

  test.each([
    ['registry.example.com:5000/hyperledger/fabric-peer:2.5.9'],
    ['localhost/fabric-peer:2.5.9'],
    ['[::1]:5000/fabric/peer:2.5.9'],
    [`hyperledger/fabric-peer@${DIGEST}`],
    [`hyperledger/fabric-peer:latest@${DIGEST}`],
    ['ghcr.io/org/team/fabric_peer__x-y.z:2.5.9-amd64'],
    ['Registry.Example.COM/fabric-peer:v2'],
  ])('GIVEN the image reference %s, which container runtimes accept, WHEN used THEN it reaches the peer', (peer) => {
    const chart = testChart('net', { images: { peer } });
    new PeerOrg(chart, 'org1', { mspId: 'Org1MSP' });
    expect(podSpec(find(Testing.synth(chart) as KubeObject[], 'StatefulSet', 'org1-peer0')).containers[0].image).toBe(peer);
  });

  test.each([
    ['Hyperledger/fabric-peer:2.5.9'],
    ['hyperledger/Fabric-Peer:2.5.9'],
    ['fabric peer:2.5.9'],
    ['hyperledger/fabric-peer:2.5.9@sha256:abc'],
    ['hyperledger/fabric-peer@md5:0123456789abcdef0123456789abcdef'],
    ['hyperledger/fabric-peer:-2'],
    ['hyperledger//fabric-peer:2'],
    ['registry.example.com:port/x:1'],
    [''],
  ])('GIVEN the malformed image reference %p WHEN used THEN the error gives the grammar and an example', (tools) => {
    expect(() => testChart('net', { images: { tools } })).toThrow(`FabricChart net: images.tools "${tools}" is not an image reference. Write [registry[:port]/]path[:tag][@sha256:digest], the path in lowercase`);
  });

  test('GIVEN a short seed or inverted validity WHEN identities are made THEN it is refused', () => {
    expect(() => new GeneratedIdentities({ seed: 'short' })).toThrow(/use at least 16/);
    expect(() => new GeneratedIdentities({ notBefore: new Date('2030-01-01'), notAfter: new Date('2029-01-01') })).toThrow(/notBefore must be earlier/);
  });

  test.each([['2.5.9'], ['2.5.13'], ['2.5'], ['2.5.0-beta3']])('GIVEN Fabric %s WHEN used THEN the default images carry it', (fabricVersion) => {
    const chart = testChart('net', { fabricVersion });
    expect([chart.peerImage, chart.ordererImage, chart.toolsImage]).toEqual([`hyperledger/fabric-peer:${fabricVersion}`, `hyperledger/fabric-orderer:${fabricVersion}`, `hyperledger/fabric-tools:${fabricVersion}`]);
  });

  test.each([
    ['3.0.0', 'is not supported yet. Fabric 3 publishes no tools image, which every Hyperkube Job runs, and its orderers need BFT, which Hyperkube does not build yet. Use a 2.5 release (for example "2.5.9").'],
    ['3.1', 'is not supported yet. Fabric 3 publishes no tools image'],
    ['2.4.9', 'is not supported. Hyperkube needs Fabric 2.5'],
    ['1.4', 'is not supported. Hyperkube needs Fabric 2.5'],
    ['v2.5.9', 'starts with \'v\', but the Fabric images are tagged without it. Write "2.5.9".'],
    ['latest', 'is not a Fabric version. Write a 2.5 release as major.minor.patch (for example "2.5.9").'],
    ['2.5.9 ', 'is not a Fabric version.'],
  ])('GIVEN fabricVersion %p WHEN used THEN it is refused saying why', (fabricVersion, message) => {
    expect(() => testChart('net', { fabricVersion })).toThrow(`FabricChart net: fabricVersion "${fabricVersion}" ${message}`);
  });

  test('GIVEN a StorageClass name WHEN given THEN every ledger claim carries it; GIVEN \'\' THEN the claims ask for no class', () => {
    const claimClass = (storageClassName: string) => {
      const chart = testChart('net', { storageClassName });
      new PeerOrg(chart, 'org1', { mspId: 'Org1MSP' });
      return find(Testing.synth(chart) as KubeObject[], 'StatefulSet', 'org1-peer0').spec.volumeClaimTemplates[0].spec.storageClassName;
    };
    expect(claimClass('fast-ssd.example.com')).toBe('fast-ssd.example.com');
    expect(claimClass('')).toBe('');
  });

  test.each([['Fast_SSD'], ['-ssd'], ['ssd.'], ['a'.repeat(254)]])('GIVEN StorageClass name %p WHEN given THEN it is refused as a DNS subdomain', (storageClassName) => {
    expect(() => testChart('net', { storageClassName })).toThrow(/^FabricChart net: storageClassName ".*" is not a StorageClass name. Use at most 253 lowercase letters, digits, '-' and '.'/);
  });

  test('GIVEN a cluster domain or network name Kubernetes refuses WHEN given THEN the prop is named', () => {
    expect(() => testChart('net', { clusterDomain: 'Cluster_Local' })).toThrow('FabricChart net: clusterDomain "Cluster_Local" is not a DNS domain.');
    expect(() => testChart('My Net')).toThrow('FabricChart My Net: network "My Net" (the construct id unless given) is not a Kubernetes label value');
    expect(testChart('My Net', { network: 'my-net' }).network).toBe('my-net');
  });
});

describe('charts of one app', () => {
  test('GIVEN two FabricCharts of one app in one namespace WHEN the second is made THEN it is refused, naming the first', () => {
    const app = Testing.app();
    new FabricChart(app, 'first', { namespace: 'fabric', identities: new GeneratedIdentities({ seed: GeneratedIdentities.DEVELOPMENT_SEED }) });
    expect(() => new FabricChart(app, 'second', { namespace: 'fabric' }))
      .toThrow('FabricChart second: namespace "fabric" is already used by FabricChart first of this app. Two networks in one namespace would overwrite each other\'s objects (hyperkube-scripts, Secrets, Jobs); give each FabricChart its own namespace.');
  });

  test('GIVEN two FabricCharts of one app in two namespaces, or of two apps in one WHEN made THEN both are accepted', () => {
    const app = Testing.app();
    testChart();
    expect(() => {
      new FabricChart(app, 'a', { namespace: 'a', identities: new GeneratedIdentities({ seed: GeneratedIdentities.DEVELOPMENT_SEED }) });
      new FabricChart(app, 'b', { namespace: 'b', identities: new GeneratedIdentities({ seed: GeneratedIdentities.DEVELOPMENT_SEED }) });
      testChart();
    }).not.toThrow();
  });
});

describe('chart props from plain JavaScript', () => {
  test.each([
    ['identities as a seed string', { identities: 'my-secret-seed-0123' }, 'FabricChart net: identities must be an identity provider (IIdentityProvider, with organization, identity, password), got "my-secret-seed-0123". Pass new GeneratedIdentities({ seed }) or new FabricCaIdentities().'],
    ['images as a string', { images: 'hyperledger/fabric-peer:2.5.9' }, 'FabricChart net: images must be an object, got "hyperledger/fabric-peer:2.5.9".'],
    ['a numeric image', { images: { peer: 2 } }, 'FabricChart net: images.peer must be a string, got number 2.'],
    ['a numeric Fabric version', { fabricVersion: 2.5 }, 'FabricChart net: fabricVersion must be a string, got number 2.5. Write it like "2.5.9".'],
    ['createNamespace as a string', { createNamespace: 'false' }, 'FabricChart net: createNamespace must be true or false, got "false".'],
    ['the removed secretSeed', { secretSeed: 'my-secret-seed-0123' }, 'FabricChart net: secretSeed is no longer a prop: one seed now derives every key and password of the chart. Pass it to the identities instead: identities: new GeneratedIdentities({ seed }).'],
  ])('GIVEN %s WHEN a FabricChart is made THEN the error names the prop', (_case, props, message) => {
    expect(() => new FabricChart(Testing.app(), 'net', props as any)).toThrow(message);
  });

  test('GIVEN a numeric seed or a date as a string WHEN identities are made THEN the prop is named', () => {
    expect(() => new GeneratedIdentities({ seed: 1234 as any })).toThrow('GeneratedIdentities: seed must be a string, got number 1234.');
    expect(() => new GeneratedIdentities({ notAfter: '2030-01-01' as any })).toThrow('GeneratedIdentities: notAfter must be a valid Date, got "2030-01-01".');
  });
});

describe('the development seed', () => {
  function captureStderr(run: () => void): string {
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      _resetDevelopmentSeedWarning();
      run();
      return write.mock.calls.map((call) => String(call[0])).join('');
    } finally {
      write.mockRestore();
    }
  }

  function synthDefaultChart(app: App, id: string): void {
    const chart = new FabricChart(app, id, { namespace: id });
    new PeerOrg(chart, 'org1', { mspId: 'Org1MSP' });
    Testing.synth(chart);
  }

  test('GIVEN charts that name no seed WHEN synthesized, several times THEN stderr carries one warning, naming the chart and the fix', () => {
    const stderr = captureStderr(() => {
      const app = Testing.app();
      synthDefaultChart(app, 'first');
      synthDefaultChart(app, 'second');
      synthDefaultChart(Testing.app(), 'third');
    });
    expect(stderr.match(/Hyperkube warning/g)).toHaveLength(1);
    expect(stderr).toContain('FabricChart first uses identities from the public development seed, so anyone can derive its private keys and passwords.');
    expect(stderr).toContain('pass identities: new GeneratedIdentities({ seed }) with a secret seed');
  });

  test('GIVEN a chart with a seed of its own, or the development seed named on purpose WHEN synthesized THEN nothing is written', () => {
    const stderr = captureStderr(() => {
      for (const seed of ['a-secret-seed-from-a-secret', GeneratedIdentities.DEVELOPMENT_SEED]) {
        const chart = new FabricChart(Testing.app(), 'net', { identities: new GeneratedIdentities({ seed }) });
        new PeerOrg(chart, 'org1', { mspId: 'Org1MSP' });
        Testing.synth(chart);
      }
    });
    expect(stderr).toBe('');
  });

  test('GIVEN the identities\' seed WHEN a password is derived THEN it comes from that one seed, and equals what the default development identities give', () => {
    const seeded = new GeneratedIdentities({ seed: 'a-secret-seed-from-a-secret' });
    expect(seeded.secret('couchdb/org1-peer0')).not.toBe(new GeneratedIdentities().secret('couchdb/org1-peer0'));
    expect(new GeneratedIdentities().secret('couchdb/org1-peer0')).toBe(new GeneratedIdentities({ seed: GeneratedIdentities.DEVELOPMENT_SEED }).secret('couchdb/org1-peer0'));
    expect(seeded.secret('couchdb/org1-peer0')).toHaveLength(32);
  });
});

describe('separateSecrets', () => {
  test('GIVEN separateSecrets WHEN the reference network synthesizes THEN its chart holds no Secret and no private key, and the chart of Secrets holds every Secret the default writes', () => {
    const together = synthTestNetwork().objects;
    const { chart, objects } = synthTestNetwork({ separateSecrets: true });
    const secrets = Testing.synth(chart.secretsChart!) as KubeObject[];
    expect(objects.filter((o) => o.kind === 'Secret' || holdsPrivateKey(o)).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
    expect(secrets.map((o) => o.kind)).toEqual(secrets.map(() => 'Secret'));
    const key = (o: KubeObject) => JSON.stringify(o);
    expect(secrets.map(key).sort()).toEqual(together.filter((o) => o.kind === 'Secret').map(key).sort());
    expect(objects.map(key).sort()).toEqual(together.filter((o) => o.kind !== 'Secret').map(key).sort());
  });

  test('GIVEN separateSecrets WHEN the app synthesizes THEN dist holds the network\'s file and the Secrets\' file apart', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'hyperkube-secrets-'));
    const app = new App({ outdir });
    new TestNetwork(app, 'test-network', { identities: developmentIdentities(), separateSecrets: true });
    app.synth();
    expect(readdirSync(outdir).sort()).toEqual(['test-network-secrets.k8s.yaml', 'test-network.k8s.yaml']);
    expect(readFileSync(join(outdir, 'test-network.k8s.yaml'), 'utf8')).not.toMatch(/PRIVATE KEY|^kind: Secret$/m);
    expect(readFileSync(join(outdir, 'test-network-secrets.k8s.yaml'), 'utf8')).toMatch(/^kind: Secret$/m);
  });

  test('GIVEN a wrong type for separateSecrets WHEN created THEN the prop is named', () => {
    expect(() => new FabricChart(Testing.app(), 'net', { separateSecrets: 'yes' as unknown as boolean }))
      .toThrow(/FabricChart net: separateSecrets/);
  });
});
