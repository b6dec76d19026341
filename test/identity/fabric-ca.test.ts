import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import { FabricCa, PeerOrg } from '../../lib';
import { envOf, find, holdsPrivateKey, hygieneProblems, KubeObject, podSpec, testChart } from '../util';

/** A chart with Org1 and its Fabric CA. */
function withCa(props: { adminSecretName?: string; storage?: string } = {}) {
  const chart = testChart();
  const org1 = new PeerOrg(chart, 'org1', { mspId: 'Org1MSP' });
  const ca = new FabricCa(chart, 'org1-ca', { org: org1, ...props });
  return { chart, org1, ca, objects: () => Testing.synth(chart) as KubeObject[] };
}

describe('FabricCa', () => {
  test('GIVEN an org WHEN its CA is added THEN a StatefulSet with a state volume serves TLS on 7054 behind a Service, named after the org', () => {
    const { ca, objects } = withCa();
    const all = objects();
    expect(ca.name).toBe('org1-ca');
    expect(ca.url).toBe('https://org1-ca.fabric.svc.cluster.local:7054');
    expect(find(all, 'Service', 'org1-ca').spec.ports).toEqual([{ name: 'https', port: 7054, targetPort: 7054 }]);
    const statefulSet = find(all, 'StatefulSet', 'org1-ca');
    expect(statefulSet.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('1Gi');
    const container = podSpec(statefulSet).containers[0];
    expect(container.image).toBe('hyperledger/fabric-ca:1.5.15');
    expect(container.volumeMounts).toContainEqual({ name: 'ledger', mountPath: '/var/hyperledger/fabric-ca-server' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/cainfo', port: 7054, scheme: 'HTTPS' });
    const env = envOf(container);
    expect(ca.hosts).toEqual(expect.arrayContaining(['org1-ca', 'org1-ca.fabric.svc.cluster.local', 'localhost']));
    expect([env.CA_NAME, env.TLS_CA_NAME]).toEqual([FabricCa.SIGNING_CA_NAME, FabricCa.TLS_CA_NAME]);
    expect(env.CERTIFICATE_LIFETIME).toBe('31536000s');
    expect(podSpec(statefulSet).volumes).toContainEqual({ name: 'tls', secret: { secretName: 'org1-ca-tls' } });
  });

  test('GIVEN the bootstrap admin WHEN synthesized THEN its credentials come from the named Secret, which the manifests do not hold', () => {
    const { objects } = withCa({ adminSecretName: 'org1-ca-bootstrap' });
    const all = objects();
    const env = podSpec(find(all, 'StatefulSet', 'org1-ca')).containers[0].env;
    expect(env.filter((entry: any) => entry.valueFrom)).toEqual([
      { name: 'BOOTSTRAP_USER', valueFrom: { secretKeyRef: { name: 'org1-ca-bootstrap', key: 'username' } } },
      { name: 'BOOTSTRAP_PASSWORD', valueFrom: { secretKeyRef: { name: 'org1-ca-bootstrap', key: 'password' } } },
    ]);
    expect(all.filter((o) => o.metadata.name === 'org1-ca-bootstrap')).toEqual([]);
    expect(all.filter((o) => o.metadata.labels?.['app.kubernetes.io/component'] === 'ca' && holdsPrivateKey(o))).toEqual([]);
    expect(hygieneProblems(all)).toEqual([]);
  });

  test('GIVEN a CA WHEN ApiObject.of(ca) is patched THEN its StatefulSet carries the patch', () => {
    const { ca, objects } = withCa();
    ApiObject.of(ca).addJsonPatch(JsonPatch.add('/spec/template/spec/nodeSelector', { disktype: 'ssd' }));
    expect(podSpec(find(objects(), 'StatefulSet', 'org1-ca')).nodeSelector).toEqual({ disktype: 'ssd' });
  });

  test('GIVEN mistakes WHEN a CA is created THEN each names the construct, the value and the fix', () => {
    const { chart, org1 } = withCa();
    expect(() => new FabricCa(chart, 'again', { org: org1 })).toThrow('net/again: Service name "org1-ca" is already used by net/org1-ca. Each organization runs one Fabric CA.');
    expect(() => new FabricCa(chart, 'bad', { org: 'org2' as never })).toThrow('FabricCa bad: org is "org2", not an organization. Pass a PeerOrg or an Orderer (or { mspId, name }).');
    expect(() => new FabricCa(testChart(), 'ca', { org: { mspId: 'Org1MSP', name: 'org1' }, storage: '1 GB' })).toThrow(/FabricCa ca: storage/);
    expect(() => new FabricCa(testChart(), 'ca', { org: { mspId: 'Org1MSP', name: 'org1' }, adminSecretName: 'Admin_Secret' })).toThrow(/FabricCa ca: adminSecretName "Admin_Secret"/);
  });
});
