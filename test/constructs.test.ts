import { Testing } from 'cdk8s';
import { Channel, ExternalChaincode, FabricChart, Orderer, PeerOrg, StateDatabase } from '../lib';
import { TestNetwork } from '../apps/test-network/network';
import { envOf, find, KubeObject, ofKind, podSpec, secretData, synthTestNetwork } from './util';

describe('Orderer', () => {
  const { objects } = synthTestNetwork();
  const node = find(objects, 'StatefulSet', 'orderer-node0');
  const env = envOf(podSpec(node).containers[0]);

  test('GIVEN an orderer node WHEN synthesized THEN channel participation is on, no system channel, and the admin endpoint demands client certificates', () => {
    expect(env.ORDERER_GENERAL_BOOTSTRAPMETHOD).toBe('none');
    expect(env.ORDERER_CHANNELPARTICIPATION_ENABLED).toBe('true');
    expect(env.ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED).toBe('true');
    expect(env.ORDERER_GENERAL_TLS_ENABLED).toBe('true');
    expect(env.ORDERER_OPERATIONS_TLS_ENABLED).toBe('true');
  });

  test('GIVEN an orderer node WHEN synthesized THEN it has a ledger claim, health probes and a Service with all three ports', () => {
    // Written as the API server stores it, so that a second kubectl apply reports "unchanged".
    expect(node.spec.volumeClaimTemplates).toEqual([{
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { creationTimestamp: null, name: 'ledger' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
      status: { phase: 'Pending' },
    }]);
    expect(podSpec(node).containers[0].readinessProbe.httpGet).toEqual({ path: '/healthz', port: 9443, scheme: 'HTTPS' });
    expect(find(objects, 'Service', 'orderer-node0').spec.ports.map((p: any) => p.port)).toEqual([7050, 7053, 9443]);
    expect(ofKind(objects, 'StatefulSet').filter((s) => s.metadata.name.startsWith('orderer-node'))).toHaveLength(3);
  });
});

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

  test('GIVEN two peers WHEN synthesized THEN each bootstraps gossip from the other', () => {
    const chart = new FabricChart(Testing.app(), 'net');
    new PeerOrg(chart, 'org1', { mspId: 'Org1MSP', peers: 2 });
    const objects = Testing.synth(chart) as KubeObject[];
    const bootstrap = (name: string) => envOf(podSpec(find(objects, 'StatefulSet', name)).containers[0]).CORE_PEER_GOSSIP_BOOTSTRAP;
    expect(bootstrap('org1-peer0')).toBe('org1-peer1.fabric.svc.cluster.local:7051');
    expect(bootstrap('org1-peer1')).toBe('org1-peer0.fabric.svc.cluster.local:7051');
  });

  test('GIVEN CouchDB WHEN synthesized THEN each peer has a CouchDB sidecar with credentials from a Secret', () => {
    const chart = new FabricChart(Testing.app(), 'net');
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

describe('Jobs', () => {
  const jobNames = (objects: KubeObject[]) => ofKind(objects, 'Job').map((job) => job.metadata.name).sort();

  test('GIVEN the reference network WHEN synthesized THEN it has a create Job, a join Job per org and install/approve and commit Jobs', () => {
    const names = jobNames(synthTestNetwork().objects);
    expect(names.map((name) => name.replace(/-[0-9a-f]{10}$/, ''))).toEqual([
      'cc-basic-mychannel-commit', 'cc-basic-mychannel-org1-approve', 'cc-basic-mychannel-org2-approve',
      'mychannel-create', 'mychannel-join-org1', 'mychannel-join-org2',
    ]);
  });

  test('GIVEN a raised chaincode sequence WHEN synthesized THEN only the chaincode Jobs get new names', () => {
    const build = (sequence: number) => {
      const chart = new FabricChart(Testing.app(), 'net');
      const orderer = new Orderer(chart, 'orderer', { mspId: 'OrdererMSP', consenters: 1 });
      const org1 = new PeerOrg(chart, 'org1', { mspId: 'Org1MSP' });
      const channel = new Channel(chart, 'ch', { orderers: [orderer], members: [org1] });
      new ExternalChaincode(chart, 'cc', { channel, image: 'example/cc:1.0.0', sequence });
      return jobNames(Testing.synth(chart) as KubeObject[]);
    };
    const before = build(1);
    const after = build(2);
    expect(after.filter((name) => before.includes(name)).map((name) => name.replace(/-[0-9a-f]{10}$/, ''))).toEqual(['ch-create', 'ch-join-org1']);
    expect(after.filter((name) => !before.includes(name)).map((name) => name.replace(/-[0-9a-f]{10}$/, ''))).toEqual(['cc-cc-ch-commit', 'cc-cc-ch-org1-approve']);
  });

  test('GIVEN the commit Job WHEN read THEN it waits for every running org and endorses through one peer of each', () => {
    const { objects } = synthTestNetwork();
    const commit = ofKind(objects, 'Job').find((job) => job.metadata.name.startsWith('cc-basic-mychannel-commit'))!;
    const env = envOf(podSpec(commit).containers[0]);
    expect(env.APPROVERS).toBe('Org1MSP Org2MSP');
    expect(env.ENDORSING_PEERS).toBe('org1-peer0.fabric.svc.cluster.local:7051=/var/hyperledger/orgs/org1/msp/tlscacerts/tlsca.pem org2-peer0.fabric.svc.cluster.local:7051=/var/hyperledger/orgs/org2/msp/tlscacerts/tlsca.pem');
    expect(env.CC_SEQUENCE).toBe('1');
  });

  test('GIVEN the chaincode image option WHEN set THEN both servers use it', () => {
    const chart = new TestNetwork(Testing.app(), 'tn', { chaincodeImage: 'registry.example/basic:2.0.0' });
    const deployments = ofKind(Testing.synth(chart) as KubeObject[], 'Deployment');
    expect(deployments.map((d) => podSpec(d).containers[0].image)).toEqual(['registry.example/basic:2.0.0', 'registry.example/basic:2.0.0']);
  });
});
