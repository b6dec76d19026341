import { createPrivateKey, X509Certificate } from 'node:crypto';
import * as yaml from 'js-yaml';
import { GeneratedIdentities, NodeRole } from '../../lib';
import { find, KubeObject, ofKind, secretData, synthMultiOrg, synthTestNetwork } from '../util';

const apps = [['test-network', synthTestNetwork], ['multi-org', synthMultiOrg]] as const;

function caCertificates(objects: KubeObject[]): X509Certificate[] {
  return ofKind(objects, 'ConfigMap')
    .filter((cm) => cm.metadata.name.endsWith('-msp'))
    .flatMap((cm) => [new X509Certificate(cm.data['ca.pem']), new X509Certificate(cm.data['tlsca.pem'])]);
}

function issuerOf(cert: X509Certificate, cas: X509Certificate[]): X509Certificate | undefined {
  return cas.find((ca) => cert.checkIssued(ca) && cert.verify(ca.publicKey));
}

function organizationalUnit(cert: X509Certificate): string | undefined {
  return /OU=([^\n]+)/.exec(cert.subject)?.[1];
}

function dnsNames(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '').split(', ').filter((n) => n.startsWith('DNS:')).map((n) => n.slice(4));
}

describe.each(apps)('certificates of %s', (_name, synth) => {
  const { objects } = synth();
  const cas = caCertificates(objects);
  const identitySecrets = ofKind(objects, 'Secret').filter((s) => secretData(s)['cert.pem'] || secretData(s)['tls.crt']);

  test('GIVEN the org CAs WHEN checked THEN each is a self-signed CA that verifies', () => {
    expect(cas.length).toBeGreaterThan(0);
    for (const ca of cas) {
      expect(ca.ca).toBe(true);
      expect(ca.verify(ca.publicKey)).toBe(true);
    }
  });

  test('GIVEN every identity Secret WHEN its certificates are checked THEN each chains to its org CA and matches its key', () => {
    expect(identitySecrets.length).toBeGreaterThan(0);
    for (const secret of identitySecrets) {
      const data = secretData(secret);
      for (const [certKey, keyKey] of [['cert.pem', 'key.pem'], ['tls.crt', 'tls.key']]) {
        if (!data[certKey]) continue;
        const cert = new X509Certificate(data[certKey]);
        expect({ secret: secret.metadata.name, issued: issuerOf(cert, cas) !== undefined }).toEqual({ secret: secret.metadata.name, issued: true });
        expect(cert.ca).toBe(false);
        expect(cert.checkPrivateKey(createPrivateKey(data[keyKey]))).toBe(true);
      }
    }
  });

  test('GIVEN signing identities WHEN their OU is read THEN it names the NodeOU role Fabric expects', () => {
    const expectedRole = (name: string): string => {
      if (/-peer\d+-identity$/.test(name)) return NodeRole.PEER;
      if (/-node\d+-identity$/.test(name)) return NodeRole.ORDERER;
      if (name.endsWith('-admin')) return NodeRole.ADMIN;
      return NodeRole.CLIENT;
    };
    for (const secret of identitySecrets.filter((s) => secretData(s)['cert.pem'])) {
      const cert = new X509Certificate(secretData(secret)['cert.pem']);
      expect([secret.metadata.name, organizationalUnit(cert)]).toEqual([secret.metadata.name, expectedRole(secret.metadata.name)]);
    }
  });

  test('GIVEN the NodeOU config WHEN read THEN all four roles are enabled against the org CA', () => {
    const config = yaml.load(ofKind(objects, 'ConfigMap').find((cm) => cm.metadata.name.endsWith('-msp'))!.data['config.yaml']) as any;
    expect(config.NodeOUs.Enable).toBe(true);
    for (const key of ['ClientOUIdentifier', 'PeerOUIdentifier', 'AdminOUIdentifier', 'OrdererOUIdentifier']) {
      expect(config.NodeOUs[key].Certificate).toBe('cacerts/ca.pem');
    }
    expect(config.NodeOUs.PeerOUIdentifier.OrganizationalUnitIdentifier).toBe('peer');
  });

  test('GIVEN every in-cluster address any manifest uses WHEN matched to the TLS certificate of that Service THEN the SANs cover it', () => {
    // Hosts appear in env, configtx, gossip settings, connection profiles and Job parameters.
    const text = JSON.stringify(objects);
    const hosts = [...new Set(text.match(/[a-z0-9-]+\.[a-z0-9-]+\.svc\.cluster\.local/g) ?? [])];
    expect(hosts.length).toBeGreaterThanOrEqual(5);
    for (const host of hosts) {
      const service = host.split('.')[0];
      find(objects, 'Service', service);
      const secret = objects.find((o) => o.kind === 'Secret' && (o.metadata.name === `${service}-identity` || o.metadata.name === `${service}-tls`));
      expect({ host, secret: secret?.metadata.name ?? 'none' }).toEqual({ host, secret: expect.stringMatching(/-(identity|tls)$/) });
      const sans = dnsNames(new X509Certificate(secretData(secret!)['tls.crt']));
      expect({ host, covered: sans.includes(host) && sans.includes(service) }).toEqual({ host, covered: true });
    }
  });
});

test('GIVEN the same seed WHEN two charts are synthesized THEN the identities are identical, and a different seed changes them', () => {
  const first = secretData(find(synthTestNetwork().objects, 'Secret', 'org1-peer0-identity'));
  const second = secretData(find(synthTestNetwork().objects, 'Secret', 'org1-peer0-identity'));
  const other = secretData(find(synthTestNetwork({ identities: new GeneratedIdentities({ seed: 'another-seed-of-enough-length' }) }).objects, 'Secret', 'org1-peer0-identity'));
  expect(second).toEqual(first);
  expect(other['key.pem']).not.toEqual(first['key.pem']);
});
