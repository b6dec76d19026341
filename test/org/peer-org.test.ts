import { X509Certificate } from 'node:crypto';
import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import { PeerOrg, PeerOrgProps, StateDatabase } from '../../lib';
import { envOf, find, KubeObject, ofKind, podSpec, secretData, synthTestNetwork, testChart } from '../util';

/** Synthesizes a chart holding only PeerOrg org1 with `props`. */
function synthOrg(props: Partial<PeerOrgProps>): KubeObject[] {
  const chart = testChart();
  new PeerOrg(chart, 'org1', { mspId: 'Org1MSP', ...props });
  return Testing.synth(chart) as KubeObject[];
}

describe('PeerOrg', () => {
  const { objects } = synthTestNetwork();
  const peer = find(objects, 'StatefulSet', 'org1-peer0');
  const env = envOf(podSpec(peer).containers.find((c: any) => c.name === 'peer'));

  test('GIVEN a peer WHEN synthesized THEN core.yaml is derived by an init container and the peer reads it', () => {
    const init = podSpec(peer).initContainers[0];
    expect(init.command).toEqual(['sh', '/var/hyperledger/scripts/peer-config.sh']);
    expect(envOf(init).TARGET_CONFIG).toBe(`${env.FABRIC_CFG_PATH}/core.yaml`);
  });

  test('GIVEN a peer WHEN synthesized THEN its address, gossip endpoint and TLS settings use its Service FQDN', () => {
    expect(env.CORE_PEER_ADDRESS).toBe('org1-peer0.fabric.svc.cluster.local:7051');
    expect(env.CORE_PEER_GOSSIP_EXTERNALENDPOINT).toBe(env.CORE_PEER_ADDRESS);
    expect(env.CORE_PEER_TLS_ENABLED).toBe('true');
    expect(env.CORE_LEDGER_STATE_STATEDATABASE).toBe('goleveldb');
    expect(env).not.toHaveProperty('CORE_VM_ENDPOINT');
  });

  test('GIVEN three peers WHEN synthesized THEN the first bootstraps gossip from itself and each other from the peers before it', () => {
    const objects = synthOrg({ peers: 3 });
    const bootstrap = (name: string) => envOf(podSpec(find(objects, 'StatefulSet', name)).containers[0]).CORE_PEER_GOSSIP_BOOTSTRAP;
    expect(bootstrap('org1-peer0')).toBe('org1-peer0.fabric.svc.cluster.local:7051');
    expect(bootstrap('org1-peer1')).toBe('org1-peer0.fabric.svc.cluster.local:7051');
    expect(bootstrap('org1-peer2')).toBe('org1-peer0.fabric.svc.cluster.local:7051 org1-peer1.fabric.svc.cluster.local:7051');
  });

  test('GIVEN an org of two peers WHEN a third peer is added THEN the existing peers\' StatefulSets are unchanged, so they do not restart', () => {
    const before = ofKind(synthOrg({ peers: 2 }), 'StatefulSet');
    const after = ofKind(synthOrg({ peers: 3 }), 'StatefulSet');
    expect(after.map((set) => set.metadata.name)).toEqual(['org1-peer0', 'org1-peer1', 'org1-peer2']);
    expect(after.slice(0, 2)).toEqual(before);
  });

  test('GIVEN a peer WHEN ApiObject.of(peer) is patched THEN only that peer gets the nodeSelector and toleration', () => {
    const chart = testChart();
    const org = new PeerOrg(chart, 'org1', { mspId: 'Org1MSP', peers: 2 });
    ApiObject.of(org.peers[1]).addJsonPatch(
      JsonPatch.add('/spec/template/spec/nodeSelector', { 'disktype': 'ssd' }),
      JsonPatch.add('/spec/template/spec/tolerations', [{ key: 'fabric', operator: 'Exists', effect: 'NoSchedule' }]),
    );
    const objects = Testing.synth(chart) as KubeObject[];
    expect(podSpec(find(objects, 'StatefulSet', 'org1-peer1')).nodeSelector).toEqual({ disktype: 'ssd' });
    expect(podSpec(find(objects, 'StatefulSet', 'org1-peer1')).tolerations).toEqual([{ key: 'fabric', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(podSpec(find(objects, 'StatefulSet', 'org1-peer0')).nodeSelector).toBeUndefined();
  });

  test('GIVEN a PeerOrg WHEN its peers array is changed by the caller THEN the org is not', () => {
    const chart = testChart();
    const org = new PeerOrg(chart, 'org1', { mspId: 'Org1MSP' });
    org.peers.pop();
    org.users.pop();
    expect(org.peers).toHaveLength(1);
    expect(org.users.map((user) => user.name)).toEqual(['user1']);
  });

  test('GIVEN a PeerOrg WHEN addUser is called THEN the user gets a client identity Secret and is listed', () => {
    const chart = testChart();
    const org = new PeerOrg(chart, 'org1', { mspId: 'Org1MSP' });
    const auditor = org.addUser('auditor');
    const objects = Testing.synth(chart) as KubeObject[];
    expect(auditor).toEqual({ name: 'auditor', secretName: 'org1-auditor' });
    expect(org.users.map((user) => user.name)).toEqual(['user1', 'auditor']);
    const certificate = new X509Certificate(secretData(find(objects, 'Secret', 'org1-auditor'))['cert.pem']);
    expect(certificate.subject).toContain('OU=client');
    expect(() => org.addUser('auditor')).toThrow('PeerOrg org1: user "auditor" is listed twice');
  });

  test('GIVEN CouchDB WHEN synthesized THEN each peer has a CouchDB sidecar with credentials from a Secret', () => {
    const chart = testChart();
    new PeerOrg(chart, 'org1', { mspId: 'Org1MSP', stateDatabase: StateDatabase.COUCHDB });
    const objects = Testing.synth(chart) as KubeObject[];
    const containers = podSpec(find(objects, 'StatefulSet', 'org1-peer0')).containers;
    expect(containers.map((c: any) => c.name)).toEqual(['peer', 'couchdb']);
    expect(envOf(containers[0]).CORE_LEDGER_STATE_COUCHDBCONFIG_COUCHDBADDRESS).toBe('localhost:5984');
    expect(containers[0].env).toContainEqual({ name: 'CORE_LEDGER_STATE_COUCHDBCONFIG_PASSWORD', valueFrom: { secretKeyRef: { name: 'org1-peer0-couchdb', key: 'password' } } });
    expect(secretData(find(objects, 'Secret', 'org1-peer0-couchdb')).password).toHaveLength(32);
  });

  test('GIVEN a PeerOrg WHEN its connection profile is read THEN the ConfigMap and the construct agree and carry URL, TLS CA and host override', () => {
    const { chart, objects } = synthTestNetwork();
    const profile = JSON.parse(find(objects, 'ConfigMap', 'org1-connection-profile').data['connection.json']);
    expect(profile).toEqual(JSON.parse(JSON.stringify(chart.org1.connectionProfile())));
    expect(profile.client.organization).toBe('Org1MSP');
    expect(profile.organizations.Org1MSP.peers).toEqual(['org1-peer0']);
    expect(profile.peers['org1-peer0'].url).toBe('grpcs://org1-peer0.fabric.svc.cluster.local:7051');
    expect(profile.peers['org1-peer0'].tlsCACerts.pem).toBe(find(objects, 'ConfigMap', 'org1-msp').data['tlsca.pem']);
    expect(profile.peers['org1-peer0'].grpcOptions['ssl-target-name-override']).toBe('org1-peer0.fabric.svc.cluster.local');
  });
});
