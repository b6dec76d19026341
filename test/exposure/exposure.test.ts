import { X509Certificate } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Testing } from 'cdk8s';
import { Exposure, FabricCaIdentities, FabricChart, ImportedIdentities, PeerOrg } from '../../lib';
import { TestNetwork, TestNetworkOptions } from '../../apps/test-network/network';
import { referenceCryptoFolder } from '../identity/crypto-fixture';
import { developmentIdentities, envOf, find, hygieneProblems, KubeObject, ofKind, podSpec, secretData, testChart } from '../util';

const GATEWAY_API = () => Exposure.gatewayApi({ domain: 'example.com', gateway: { name: 'fabric-gateway', namespace: 'ingress', sectionName: 'fabric-tls' } });

function synthNetwork(options: TestNetworkOptions = {}): { chart: TestNetwork; objects: KubeObject[] } {
  const chart = new TestNetwork(Testing.app(), 'test-network', { identities: developmentIdentities(), ...options });
  return { chart, objects: Testing.synth(chart) as KubeObject[] };
}

/** The DNS names of the TLS certificate in Secret `secret`. */
function tlsNames(objects: KubeObject[], secret: string): string[] {
  const certificate = new X509Certificate(secretData(find(objects, 'Secret', secret))['tls.crt']);
  return (certificate.subjectAltName ?? '').split(', ').filter((name) => name.startsWith('DNS:')).map((name) => name.slice(4));
}

/** What exposure adds: the routes, Ingresses and external connection profiles. */
function exposureObjects(objects: KubeObject[]): KubeObject[] {
  return objects.filter((o) => o.kind === 'TLSRoute' || o.kind === 'Ingress' || o.metadata.name.endsWith('-connection-profile-external'));
}

function profileOf(objects: KubeObject[], configMap: string): any {
  return JSON.parse(find(objects, 'ConfigMap', configMap).data['connection.json']);
}

describe('Exposure.gatewayApi', () => {
  const plain = synthNetwork();
  const exposed = synthNetwork({ exposure: GATEWAY_API() });

  test('GIVEN the reference network with a Gateway API exposure WHEN synthesized THEN its routes and external profiles match the snapshot and pass the hygiene rules', () => {
    expect(exposureObjects(exposed.objects)).toMatchSnapshot();
    expect(hygieneProblems(exposed.objects)).toEqual([]);
  });

  test('GIVEN a Gateway API exposure WHEN synthesized THEN every peer, consenter and osnadmin endpoint has a TLSRoute on the Gateway\'s listener, routing its external name to its Service port', () => {
    const routes = ofKind(exposed.objects, 'TLSRoute').map((route) => [
      route.metadata.name, route.spec.hostnames.join(), route.spec.rules[0].backendRefs.map((ref: any) => `${ref.name}:${ref.port}`).join(),
    ]);
    expect(routes).toEqual([
      ['orderer-node0', 'node0.orderer.example.com', 'orderer-node0:7050'],
      ['orderer-node0-admin', 'node0-admin.orderer.example.com', 'orderer-node0:7053'],
      ['orderer-node1', 'node1.orderer.example.com', 'orderer-node1:7050'],
      ['orderer-node1-admin', 'node1-admin.orderer.example.com', 'orderer-node1:7053'],
      ['orderer-node2', 'node2.orderer.example.com', 'orderer-node2:7050'],
      ['orderer-node2-admin', 'node2-admin.orderer.example.com', 'orderer-node2:7053'],
      ['org1-peer0', 'peer0.org1.example.com', 'org1-peer0:7051'],
      ['org2-peer0', 'peer0.org2.example.com', 'org2-peer0:7051'],
    ]);
    const route = find(exposed.objects, 'TLSRoute', 'org1-peer0');
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'fabric-gateway', namespace: 'ingress', sectionName: 'fabric-tls' }]);
    // The API server's defaults, written out so that a re-apply finds nothing to change.
    expect(route.spec.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'org1-peer0', port: 7051, weight: 1 }]);
    expect(route.metadata.labels).toEqual(expect.objectContaining({ 'app.kubernetes.io/component': 'exposure', 'hyperkube.io/organization': 'org1' }));
  });

  test('GIVEN a Gateway API exposure WHEN synthesized THEN each node\'s TLS certificate names its external hosts besides its in-cluster ones', () => {
    expect(tlsNames(exposed.objects, 'org1-peer0-identity')).toEqual([...tlsNames(plain.objects, 'org1-peer0-identity'), 'peer0.org1.example.com']);
    expect(tlsNames(exposed.objects, 'orderer-node1-identity'))
      .toEqual([...tlsNames(plain.objects, 'orderer-node1-identity'), 'node1.orderer.example.com', 'node1-admin.orderer.example.com']);
  });

  test('GIVEN a Gateway API exposure WHEN synthesized THEN gossip, peer addresses, the channel config and the in-cluster profiles keep the in-cluster names', () => {
    const peerEnv = (objects: KubeObject[]) => envOf(podSpec(find(objects, 'StatefulSet', 'org1-peer0')).containers[0]);
    expect(peerEnv(exposed.objects)).toEqual(peerEnv(plain.objects));
    expect(peerEnv(exposed.objects).CORE_PEER_GOSSIP_EXTERNALENDPOINT).toBe('org1-peer0.fabric.svc.cluster.local:7051');
    const configtx = (objects: KubeObject[]) => ofKind(objects, 'ConfigMap').filter((o) => o.metadata.labels?.['app.kubernetes.io/component'] === 'channel');
    expect(configtx(exposed.objects)).toEqual(configtx(plain.objects));
    expect(configtx(exposed.objects)).not.toHaveLength(0);
    expect(find(exposed.objects, 'ConfigMap', 'org1-connection-profile')).toEqual(find(plain.objects, 'ConfigMap', 'org1-connection-profile'));
  });

  test('GIVEN a Gateway API exposure WHEN synthesized THEN each peer org has an external profile that dials its peers by their external names on the ingress port, with its TLS CA', () => {
    const external = profileOf(exposed.objects, 'org2-connection-profile-external');
    const inCluster = profileOf(exposed.objects, 'org2-connection-profile');
    expect(external.name).toBe('fabric-org2-external');
    expect(external.organizations).toEqual(inCluster.organizations);
    expect(external.peers['org2-peer0']).toEqual({
      url: 'grpcs://peer0.org2.example.com:443',
      tlsCACerts: inCluster.peers['org2-peer0'].tlsCACerts,
      grpcOptions: { 'ssl-target-name-override': 'peer0.org2.example.com', 'hostnameOverride': 'peer0.org2.example.com' },
    });
    expect(exposed.chart.org2.externalConnectionProfileConfigMapName).toBe('org2-connection-profile-external');
    expect(exposed.chart.org2.peers[0].externalAddress).toBe('peer0.org2.example.com:443');
    expect(exposed.chart.orderer.nodes[0].externalAdminAddress).toBe('node0-admin.orderer.example.com:443');
  });

  test('GIVEN a Gateway without namespace or listener and a port WHEN synthesized THEN the parent reference names the Gateway alone and profiles carry the port', () => {
    const { objects } = synthNetwork({ exposure: Exposure.gatewayApi({ domain: 'fabric.example.org', port: 8443, gateway: { name: 'edge' } }) });
    expect(find(objects, 'TLSRoute', 'org1-peer0').spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge' }]);
    expect(profileOf(objects, 'org1-connection-profile-external').peers['org1-peer0'].url).toBe('grpcs://peer0.org1.fabric.example.org:8443');
  });
});

describe('Exposure without opting in', () => {
  test('GIVEN a chart without exposure WHEN synthesized THEN it has no route, Ingress or external profile, and its nodes no external address', () => {
    const { chart, objects } = synthNetwork();
    expect(exposureObjects(objects)).toEqual([]);
    expect(chart.exposure).toBeUndefined();
    expect(chart.org1.externalConnectionProfile()).toBeUndefined();
    expect(chart.org1.peers[0].externalAddress).toBeUndefined();
    expect(chart.orderer.nodes[0].externalAddress).toBeUndefined();
  });
});

describe('Exposure.ingressNginx', () => {
  test('GIVEN an ingress-nginx exposure WHEN synthesized THEN each endpoint has an Ingress of the class, with SSL passthrough, routing its external name to its Service port', () => {
    const { objects } = synthNetwork({ exposure: Exposure.ingressNginx({ domain: 'example.com', ingressClassName: 'nginx-fabric' }) });
    expect(ofKind(objects, 'TLSRoute')).toEqual([]);
    expect(ofKind(objects, 'Ingress')).toHaveLength(8);
    const ingress = find(objects, 'Ingress', 'orderer-node2-admin');
    expect((ingress.metadata as any).annotations).toEqual({ 'nginx.ingress.kubernetes.io/ssl-passthrough': 'true' });
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx-fabric',
      rules: [{
        host: 'node2-admin.orderer.example.com',
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'orderer-node2', port: { number: 7053 } } } }] },
      }],
    });
    expect(hygieneProblems(objects)).toEqual([]);
    expect(exposureObjects(objects)).toMatchSnapshot();
  });

  test('GIVEN no ingress class WHEN synthesized THEN the Ingresses use class nginx', () => {
    const { objects } = synthNetwork({ exposure: Exposure.ingressNginx({ domain: 'example.com' }) });
    expect(ofKind(objects, 'Ingress').map((ingress) => ingress.spec.ingressClassName)).toEqual(Array(8).fill('nginx'));
  });
});

describe('Exposure in Fabric CA mode', () => {
  const chart = new TestNetwork(Testing.app(), 'test-network', { identities: new FabricCaIdentities(), exposure: GATEWAY_API() });
  const objects = Testing.synth(chart) as KubeObject[];
  const enrollEnv = envOf(podSpec(ofKind(objects, 'Job').find((job) => job.metadata.name.startsWith('org1-enroll-')) as KubeObject).containers[0]);

  test('GIVEN CA mode with exposure WHEN synthesized THEN the enroll Job asks for the external host in the peer\'s TLS certificate and in the CA\'s, and the CA has a route', () => {
    const peer = enrollEnv.IDENTITIES.split('\n').map((line) => JSON.parse(line)).find((identity) => identity.secretName === 'org1-peer0-identity');
    expect(peer.tlsHosts).toEqual(expect.arrayContaining(['org1-peer0.fabric.svc.cluster.local', 'peer0.org1.example.com']));
    expect(enrollEnv.CA_HOSTS.split(',')).toEqual(expect.arrayContaining(['org1-ca.fabric.svc.cluster.local', 'ca.org1.example.com']));
    const route = find(objects, 'TLSRoute', 'org1-ca');
    expect([route.spec.hostnames, route.spec.rules[0].backendRefs[0].name, route.spec.rules[0].backendRefs[0].port]).toEqual([['ca.org1.example.com'], 'org1-ca', 7054]);
    expect(hygieneProblems(objects)).toEqual([]);
  });

  test('GIVEN CA mode with exposure WHEN synthesized THEN the external profile, written by the chart, holds the external URLs and no TLS CA (known only in the cluster)', () => {
    const peer = profileOf(objects, 'org1-connection-profile-external').peers['org1-peer0'];
    expect(peer.url).toBe('grpcs://peer0.org1.example.com:443');
    expect(peer.tlsCACerts).toBeUndefined();
    expect(JSON.parse(enrollEnv.CONNECTION_PROFILE).configMapName).toBe('org1-connection-profile');
  });
});

describe('Exposure with imported identities', () => {
  let crypto: string;
  beforeAll(() => { crypto = referenceCryptoFolder(); });
  afterAll(() => rmSync(crypto, { recursive: true, force: true }));

  test('GIVEN a crypto folder whose TLS certificates lack the external names WHEN the exposed network imports it THEN synth names the missing hosts and the fix', () => {
    const identities = new ImportedIdentities({ directory: crypto, organizations: { orderer: 'ordererOrganizations/example.com' } });
    expect(() => new TestNetwork(Testing.app(), 'test-network', { identities, exposure: GATEWAY_API() }))
      .toThrow(/does not name node0\.orderer\.example\.com, node0-admin\.orderer\.example\.com, which clients dial; add them to the SANS/);
  });
});

describe('Exposure errors', () => {
  test.each([
    ['an uppercase domain', () => Exposure.gatewayApi({ domain: 'Example.com', gateway: { name: 'gw' } }), /Exposure.gatewayApi: domain "Example.com" is not a DNS domain .* \(for example "fabric.example.com"\)/],
    ['a one-label domain', () => Exposure.ingressNginx({ domain: 'localdomain' }), /Exposure.ingressNginx: domain "localdomain" is not a DNS domain/],
    ['a wildcard domain', () => Exposure.ingressNginx({ domain: '*.example.com' }), /domain "\*\.example\.com" is not a DNS domain .* no wildcard/],
    ['no gateway', () => Exposure.gatewayApi({ domain: 'example.com' } as any), /Exposure.gatewayApi: gateway is required but missing/],
    ['a gateway without a name', () => Exposure.gatewayApi({ domain: 'example.com', gateway: {} as any }), /Exposure.gatewayApi gateway: name is required but missing/],
    ['a listener name with a space', () => Exposure.gatewayApi({ domain: 'example.com', gateway: { name: 'gw', sectionName: 'tls listener' } }), /gateway.sectionName "tls listener" is not a Kubernetes object name/],
    ['a namespace with a dot', () => Exposure.gatewayApi({ domain: 'example.com', gateway: { name: 'gw', namespace: 'a.b' } }), /gateway.namespace "a.b" is not a namespace name/],
    ['a port out of range', () => Exposure.gatewayApi({ domain: 'example.com', port: 70000, gateway: { name: 'gw' } }), /Exposure.gatewayApi: port/],
    ['a misspelt option', () => Exposure.ingressNginx({ domain: 'example.com', ingressClass: 'nginx' } as any), /Exposure.ingressNginx: .*ingressClass.*ingressClassName/],
    ['an ingress class with uppercase', () => Exposure.ingressNginx({ domain: 'example.com', ingressClassName: 'Nginx' }), /ingressClassName "Nginx" is not a Kubernetes object name/],
  ])('GIVEN %s WHEN the exposure is made THEN it throws naming the value and the fix', (_case, make, message) => {
    expect(make).toThrow(message);
  });

  test('GIVEN a chart whose exposure is not an Exposure WHEN created THEN it throws naming the prop and the factories', () => {
    expect(() => testChart('net', { exposure: { domain: 'example.com' } as any }))
      .toThrow('FabricChart net: exposure must be an Exposure, got an object. Pass Exposure.gatewayApi({ domain, gateway: { name } }) or Exposure.ingressNginx({ domain }).');
  });

  test('GIVEN an exposure domain inside the cluster domain WHEN the chart is created THEN it throws naming both domains', () => {
    expect(() => testChart('net', { exposure: Exposure.ingressNginx({ domain: 'fabric.cluster.local' }) }))
      .toThrow('FabricChart net: exposure domain "fabric.cluster.local" is inside the cluster domain "cluster.local", whose names only the cluster\'s DNS answers.');
  });

  test('GIVEN a domain that makes a host name longer than DNS allows WHEN a peer is added THEN it throws naming the peer and the host', () => {
    const domain = Array(5).fill('d'.repeat(45)).join('.');
    const chart = new FabricChart(Testing.app(), 'net', { identities: developmentIdentities(), exposure: Exposure.ingressNginx({ domain }) });
    expect(() => new PeerOrg(chart, 'organization-with-a-long-name', { mspId: 'LongMSP' }))
      .toThrow(new RegExp(`^net/organization-with-a-long-name/peer0: external host name "peer0\\.organization-with-a-long-name\\.d{45}.*" is 265 characters; DNS allows 253\\. Choose a shorter exposure domain`));
  });
});
