import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import {
  Application, ApplicationProps, Channel, ExternalChaincode, FabricCaIdentities, GATEWAY_LAYOUT, ImplicitMetaRule, ImportedIdentities, Orderer, PeerOrg,
} from '../../lib';
import { TestNetwork } from '../../apps/test-network/network';
import { referenceCryptoFolder } from '../identity/crypto-fixture';
import { developmentIdentities, envOf, find, hygieneProblems, IMAGE, KubeObject, network, ofKind, podSpec, testChart } from '../util';

const APP_IMAGE = 'registry.example.com/team/gateway-app:1.2.0';

/** The reference network with an application of Org1 that calls basic. */
function referenceWithApplication(props: Partial<ApplicationProps> = {}, options: ConstructorParameters<typeof TestNetwork>[2] = {}) {
  const app = Testing.app();
  const chart = new TestNetwork(app, 'test-network', { identities: developmentIdentities(), ...options });
  const application = new Application(chart, 'asset-app', { org: chart.org1, image: APP_IMAGE, chaincode: chart.basic, ...props });
  return { app, chart, application, objects: Testing.synth(chart) as KubeObject[] };
}

function applicationObjects(objects: KubeObject[]): KubeObject[] {
  return objects.filter((object) => object.metadata.labels?.['app.kubernetes.io/component'] === 'application');
}

/** What the pod mounts, as `path <- kind/name:key`. */
function mountedFiles(deployment: KubeObject): string[] {
  const volume = podSpec(deployment).volumes.find((v: any) => v.name === 'gateway');
  return volume.projected.sources.flatMap((source: any) => {
    const [kind, ref] = source.configMap ? ['ConfigMap', source.configMap] : ['Secret', source.secret];
    return ref.items.map((item: any) => `${item.path} <- ${kind}/${ref.name}:${item.key}`);
  }).sort();
}

/** The objects the pod mounts, as `kind/name`. */
function mountedObjects(deployment: KubeObject): string[] {
  return [...new Set(mountedFiles(deployment).map((line) => line.split(' <- ')[1].split(':')[0]))].sort();
}

describe('Application', () => {
  test('GIVEN the reference network with an application of Org1 WHEN synthesized THEN it matches the snapshot, passes the hygiene rules and is one Deployment', () => {
    const { objects } = referenceWithApplication({ args: ['load'] });
    const written = applicationObjects(objects);
    expect(written.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual(['Deployment/asset-app']);
    expect(written).toMatchSnapshot();
    expect(hygieneProblems(objects)).toEqual([]);
  });

  test('GIVEN the reference network WHEN an application is added THEN every other object is written exactly as before', () => {
    const before = (Testing.synth(new TestNetwork(Testing.app(), 'test-network', { identities: developmentIdentities() })) as KubeObject[]).map((o) => JSON.stringify(o));
    const after = referenceWithApplication().objects.map((o) => JSON.stringify(o));
    expect(after.filter((object) => !before.includes(object)).map((object) => JSON.parse(object).metadata.name)).toEqual(['asset-app']);
    expect(before.filter((object) => !after.includes(object))).toEqual([]);
  });

  test('GIVEN an application WHEN its pod is read THEN one read-only volume holds the layout of hyperkube export (but its env file) from the profile, MSP and user objects', () => {
    const { objects } = referenceWithApplication();
    const deployment = find(objects, 'Deployment', 'asset-app');
    expect(mountedFiles(deployment)).toEqual([
      `${GATEWAY_LAYOUT.PROFILE} <- ConfigMap/org1-connection-profile:connection.json`,
      `${GATEWAY_LAYOUT.SIGNING_CA} <- ConfigMap/org1-msp:ca.pem`,
      `${GATEWAY_LAYOUT.NODE_OUS} <- ConfigMap/org1-msp:config.yaml`,
      `${GATEWAY_LAYOUT.KEY} <- Secret/org1-user1:key.pem`,
      `${GATEWAY_LAYOUT.CERT} <- Secret/org1-user1:cert.pem`,
      `${GATEWAY_LAYOUT.TLS_CA_IN_MSP} <- ConfigMap/org1-msp:tlsca.pem`,
      `${GATEWAY_LAYOUT.TLS_CA} <- ConfigMap/org1-msp:tlsca.pem`,
    ]);
    const container = podSpec(deployment).containers[0];
    expect(container.volumeMounts).toEqual([{ name: 'gateway', mountPath: Application.GATEWAY_DIR, readOnly: true }]);
    for (const object of mountedObjects(deployment)) {
      const [kind, name] = object.split('/');
      expect(find(objects, kind, name)).toBeDefined();
    }
  });

  test('GIVEN an application with a chaincode WHEN its env is read THEN it holds the fabric-samples settings, with absolute paths of mounted files, and the channel and chaincode names', () => {
    const { objects } = referenceWithApplication();
    const deployment = find(objects, 'Deployment', 'asset-app');
    const env = envOf(podSpec(deployment).containers[0]);
    expect(env).toEqual({
      MSP_ID: 'Org1MSP',
      PEER_ENDPOINT: 'org1-peer0.fabric.svc.cluster.local:7051',
      PEER_HOST_ALIAS: 'org1-peer0.fabric.svc.cluster.local',
      CERT_PATH: '/etc/hyperledger/gateway/msp/signcerts/cert.pem',
      KEY_PATH: '/etc/hyperledger/gateway/msp/keystore/key.pem',
      TLS_CERT_PATH: '/etc/hyperledger/gateway/tls/ca.pem',
      CERT_DIRECTORY_PATH: '/etc/hyperledger/gateway/msp/signcerts',
      KEY_DIRECTORY_PATH: '/etc/hyperledger/gateway/msp/keystore',
      CHANNEL_NAME: 'mychannel',
      CHAINCODE_NAME: 'basic',
    });
    const mountedPaths = mountedFiles(deployment).map((line) => `${Application.GATEWAY_DIR}/${line.split(' <- ')[0]}`);
    expect(mountedPaths).toEqual(expect.arrayContaining([env.CERT_PATH, env.KEY_PATH, env.TLS_CERT_PATH]));
  });

  test('GIVEN a second user, a second peer and the user\'s own settings WHEN synthesized THEN the pod mounts that user, dials that peer and runs what it was given', () => {
    const chart = testChart();
    const orderer = new Orderer(chart, 'orderer', { mspId: 'OrdererMSP', consenters: 1 });
    const org1 = new PeerOrg(chart, 'org1', { mspId: 'Org1MSP', peers: 2, users: ['user1', 'auditor'] });
    const channel = new Channel(chart, 'ledger', { orderers: [orderer], members: [org1] });
    new Application(chart, 'audit', {
      org: org1, user: 'auditor', gatewayPeer: org1.peers[1], channel, image: APP_IMAGE, command: ['node'], args: ['audit.js'],
      env: { LOG_LEVEL: 'debug' }, replicas: 2, resources: { memoryLimit: '512Mi' },
    });
    const deployment = find(Testing.synth(chart) as KubeObject[], 'Deployment', 'audit');
    const container = podSpec(deployment).containers[0];
    expect(mountedObjects(deployment)).toEqual(['ConfigMap/org1-connection-profile', 'ConfigMap/org1-msp', 'Secret/org1-auditor']);
    expect(envOf(container)).toEqual(expect.objectContaining({
      PEER_ENDPOINT: 'org1-peer1.fabric.svc.cluster.local:7051', CHANNEL_NAME: 'ledger', LOG_LEVEL: 'debug',
    }));
    expect(envOf(container).CHAINCODE_NAME).toBeUndefined();
    expect([container.command, container.args, deployment.spec.replicas, container.resources.limits.memory]).toEqual([['node'], ['audit.js'], 2, '512Mi']);
  });

  test('GIVEN empty command and args and no channel WHEN synthesized THEN the container keeps the image\'s own and no list is empty', () => {
    const chart = testChart();
    const org1 = new PeerOrg(chart, 'org1', { mspId: 'Org1MSP' });
    new Application(chart, 'app', { org: org1, image: APP_IMAGE, command: [], args: [], env: { CHANNEL_NAME: 'set-by-the-user' } });
    const objects = Testing.synth(chart) as KubeObject[];
    const container = podSpec(find(objects, 'Deployment', 'app')).containers[0];
    expect([container.command, container.args]).toEqual([undefined, undefined]);
    expect(envOf(container).CHANNEL_NAME).toBe('set-by-the-user');
    expect(hygieneProblems(objects)).toEqual([]);
  });

  test('GIVEN an org that does not run the chaincode WHEN it gets an application for it THEN it is accepted: its gateway peer has the other orgs endorse', () => {
    const chart = testChart();
    const orderer = new Orderer(chart, 'orderer', { mspId: 'OrdererMSP', consenters: 1 });
    const org1 = new PeerOrg(chart, 'org1', { mspId: 'Org1MSP' });
    const org2 = new PeerOrg(chart, 'org2', { mspId: 'Org2MSP' });
    const channel = new Channel(chart, 'mychannel', { orderers: [orderer], members: [org1, org2], policies: { lifecycleEndorsement: ImplicitMetaRule.ANY, endorsement: ImplicitMetaRule.ANY } });
    const chaincode = new ExternalChaincode(chart, 'basic', { channel, image: IMAGE, orgs: [org1] });
    const application = new Application(chart, 'app', { org: org2, image: APP_IMAGE, chaincode });
    expect([application.channel?.name, application.chaincode?.name]).toEqual(['mychannel', 'basic']);
  });

  test('GIVEN an application WHEN patched through ApiObject.of THEN the patch reaches its Deployment', () => {
    const { chart, application } = referenceWithApplication();
    ApiObject.of(application).addJsonPatch(JsonPatch.add('/spec/template/spec/nodeSelector', { pool: 'apps' }));
    expect(podSpec(find(Testing.synth(chart) as KubeObject[], 'Deployment', 'asset-app')).nodeSelector).toEqual({ pool: 'apps' });
  });

  describe('in every identity mode', () => {
    let crypto: string;
    beforeAll(() => { crypto = referenceCryptoFolder(); });
    afterAll(() => rmSync(crypto, { recursive: true, force: true }));

    test('GIVEN Fabric CA identities WHEN synthesized THEN the enroll Job writes every object the application mounts', () => {
      const { objects } = referenceWithApplication({}, { identities: new FabricCaIdentities() });
      const role = find(objects, 'Role', 'org1-enroll');
      const named = (resource: string) => role.rules.filter((rule: any) => rule.resources.includes(resource) && rule.resourceNames).flatMap((rule: any) => rule.resourceNames);
      const written = [...named('configmaps').map((name: string) => `ConfigMap/${name}`), ...named('secrets').map((name: string) => `Secret/${name}`)];
      expect(written).toEqual(expect.arrayContaining(mountedObjects(find(objects, 'Deployment', 'asset-app'))));
    });

    test('GIVEN imported identities WHEN synthesized THEN the manifests hold the ConfigMaps and the import script the Secret the application mounts', () => {
      const { app, objects } = referenceWithApplication({}, { identities: new ImportedIdentities({ directory: crypto, organizations: { orderer: 'ordererOrganizations/example.com' } }), chaincodeTls: false });
      app.synth();
      const script = readFileSync(join(app.outdir, 'test-network.import-identities.sh'), 'utf8');
      for (const object of mountedObjects(find(objects, 'Deployment', 'asset-app'))) {
        const [kind, name] = object.split('/');
        if (kind === 'Secret') {
          expect(script).toMatch(new RegExp(`^identity ${name} `, 'm'));
        } else {
          expect(find(objects, kind, name)).toBeDefined();
        }
      }
    });
  });

  describe('refuses', () => {
    test('GIVEN a user the org does not have WHEN the application is created THEN the error names it, the org\'s users and how to add it', () => {
      expect(() => referenceWithApplication({ user: 'alice' })).toThrow(
        'Application asset-app: user "alice" is not a user of PeerOrg org1 (its users are user1), so it has no Secret org1-alice to mount. '
        + "Add it (users: [..., 'alice'], or org1.addUser('alice') before the Application), or name one of its users.");
    });

    test('GIVEN an org without users WHEN an application names no user THEN the error says there is no identity and how to give one', () => {
      const chart = testChart();
      const org1 = new PeerOrg(chart, 'org1', { mspId: 'Org1MSP', users: [] });
      expect(() => new Application(chart, 'app', { org: org1, image: APP_IMAGE })).toThrow(
        "Application app: PeerOrg org1 has no users, so there is no identity to act as. Give it one (users: ['user1'], or org1.addUser('user1') before the Application).");
    });

    test('GIVEN an org of another chart WHEN the application is created THEN the error names both charts', () => {
      const other = testChart('other', { namespace: 'other' });
      const foreign = new PeerOrg(other, 'org1', { mspId: 'Org1MSP' });
      expect(() => new Application(testChart(), 'app', { org: foreign, image: APP_IMAGE })).toThrow(
        'Application app: org PeerOrg org1 belongs to FabricChart other (namespace other), not to FabricChart net (namespace fabric) of this construct.');
    });

    test('GIVEN an ordering organization as org WHEN the application is created THEN the error says it has no gateway peers', () => {
      const { chart, orderer } = network();
      expect(() => new Application(chart, 'app', { org: orderer as never, image: APP_IMAGE })).toThrow(
        'Application app: org is Orderer orderer, not a peer organization. It is an ordering organization, which has no gateway peers. Pass a PeerOrg construct.');
    });

    test('GIVEN a channel the org is not a member of WHEN the application is created THEN the error names the members and the fix', () => {
      const { chart, org3, channel } = network();
      expect(() => new Application(chart, 'app', { org: org3, channel, image: APP_IMAGE })).toThrow(
        "Application app: Org3MSP is not a member of channel mychannel (members: Org1MSP, Org2MSP), so its peers cannot serve the application there. Add org3 to the channel's members, or give the application an org that is one.");
    });

    test('GIVEN a chaincode on a channel the org is not a member of WHEN the application is created THEN the channel that follows the chaincode is refused', () => {
      const { chart, org3, channel } = network();
      const chaincode = new ExternalChaincode(chart, 'basic', { channel, image: IMAGE });
      expect(() => new Application(chart, 'app', { org: org3, chaincode, image: APP_IMAGE })).toThrow(
        'Application app: Org3MSP is not a member of channel mychannel (members: Org1MSP, Org2MSP)');
    });

    test('GIVEN a chaincode and a channel it is not on WHEN the application is created THEN the error names the chaincode\'s channel', () => {
      const { chart, orderer, org1, org2, channel } = network();
      const other = new Channel(chart, 'other', { orderers: [orderer], members: [org1, org2] });
      const chaincode = new ExternalChaincode(chart, 'basic', { channel: other, image: IMAGE });
      expect(() => new Application(chart, 'app', { org: org1, channel, chaincode, image: APP_IMAGE })).toThrow(
        'Application app: chaincode basic is defined on channel other, not on channel mychannel. Pass channel other, or leave channel out: it follows the chaincode.');
    });

    test('GIVEN a peer of another org as gatewayPeer WHEN the application is created THEN the error names the org\'s peers', () => {
      const { chart, org1, org2 } = network();
      expect(() => new Application(chart, 'app', { org: org1, gatewayPeer: org2.peers[0], image: APP_IMAGE })).toThrow(
        "Application app: gatewayPeer is Peer peer0 (org2-peer0), not a peer of PeerOrg org1 (peers: org1-peer0). The application trusts its own org's TLS CA only: pick one of those peers, or leave gatewayPeer out for the first.");
    });

    test.each([
      ['MSP_ID', 'to point at the mounted gateway files'],
      ['KEY_DIRECTORY_PATH', 'to point at the mounted gateway files'],
      ['CHANNEL_NAME', "from channel (or the chaincode's channel)"],
      ['CHAINCODE_NAME', 'from chaincode'],
    ])('GIVEN env that sets %s WHEN the application is created THEN the error says the construct sets it', (name, from) => {
      expect(() => referenceWithApplication({ env: { [name]: 'mine' } })).toThrow(
        `Application asset-app: env sets ${name}, which the Application sets itself ${from} (it sets MSP_ID, PEER_ENDPOINT, PEER_HOST_ALIAS, CERT_PATH, KEY_PATH, TLS_CERT_PATH, CERT_DIRECTORY_PATH, KEY_DIRECTORY_PATH, CHANNEL_NAME, CHAINCODE_NAME). Remove ${name} from env.`);
    });

    test('GIVEN an env name Kubernetes refuses or a value that is not a string WHEN the application is created THEN the error names it', () => {
      expect(() => referenceWithApplication({ env: { '1BAD': 'x' } })).toThrow('Application asset-app: env name "1BAD" is not a Kubernetes env var name.');
      expect(() => referenceWithApplication({ env: { PORT: 8080 as never } })).toThrow('Application asset-app: env.PORT must be a string, got number 8080.');
    });

    test('GIVEN an image without a version WHEN the application is created THEN the error asks for a pinned one', () => {
      expect(() => referenceWithApplication({ image: 'registry.example.com/team/gateway-app:latest' })).toThrow(
        'Application asset-app: image "registry.example.com/team/gateway-app:latest" is not pinned. Give an explicit version tag or digest (for example "registry.example.com/team/gateway-app:1.0.0"), never "latest" or no tag.');
    });

    test('GIVEN a misspelt prop WHEN the application is created THEN the error names the prop it resembles', () => {
      expect(() => referenceWithApplication({ replica: 2 } as never)).toThrow(
        'Application asset-app: unknown prop "replica" (did you mean "replicas"?). Its props are org, name, user, image, command, args, env, replicas, resources, channel, chaincode, gatewayPeer.');
    });

    test('GIVEN missing props, a bad name, replicas or args WHEN the application is created THEN each error names the prop', () => {
      const chart = testChart();
      const org1 = new PeerOrg(chart, 'org1', { mspId: 'Org1MSP' });
      expect(() => new Application(chart, 'app', { org: org1 } as never)).toThrow('Application app: image is required but missing. Give it in the props.');
      expect(() => new Application(chart, 'My_App', { org: org1, image: APP_IMAGE })).toThrow('Application My_App: name (the construct id unless given) "My_App" is not a valid DNS label.');
      expect(() => new Application(chart, 'app1', { org: org1, image: APP_IMAGE, replicas: -1 })).toThrow('Application app1: replicas must be a whole number of at least 0, got number -1.');
      expect(() => new Application(chart, 'app2', { org: org1, image: APP_IMAGE, args: 'load' as never })).toThrow('Application app2: args must be an array, got "load". Write it as [ ... ].');
      expect(() => new Application(chart, 'app3', { org: org1, image: APP_IMAGE, resources: { cpuRequest: '2' } })).toThrow('Application app3: resources.cpuRequest "2" is above resources.cpuLimit "500m" (the default)');
      expect(() => new Application(chart, 'app4', { org: org1, image: APP_IMAGE, channel: 'mychannel' as never })).toThrow('Application app4: channel is "mychannel", not a channel. Pass a Channel construct.');
      expect(() => new Application(chart, 'app5', { org: org1, image: APP_IMAGE, chaincode: 'basic' as never })).toThrow('Application app5: chaincode is "basic", not a chaincode. Pass an ExternalChaincode construct.');
    });

    test('GIVEN two applications of one name WHEN the second is created THEN the error names the first', () => {
      const chart = testChart();
      const org1 = new PeerOrg(chart, 'org1', { mspId: 'Org1MSP' });
      new Application(chart, 'app', { org: org1, image: APP_IMAGE });
      expect(() => new Application(chart, 'again', { org: org1, name: 'app', image: APP_IMAGE })).toThrow('net/again: Deployment name "app" is already used by net/app.');
    });
  });

  test('GIVEN the applications of a chart WHEN synthesized twice THEN the output is identical', () => {
    const first = applicationObjects(referenceWithApplication().objects);
    const second = applicationObjects(referenceWithApplication().objects);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(ofKind(first, 'Deployment')).toHaveLength(1);
  });
});
