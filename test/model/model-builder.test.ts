import { Testing } from 'cdk8s';
import { Channel, EndorsementPolicy, FabricCaIdentities, FabricChart, ImplicitMetaRule, Orderer, PeerOrg } from '../../lib';
import { buildNetworkModel } from '../../lib/model/model-builder';
import { NETWORK_MODEL_CONFIGMAP, NETWORK_MODEL_KEY, NetworkModel } from '../../lib/model/network-model';
import { find, IMAGE, KubeObject, network, ofKind, synthMultiOrg, synthTestNetwork, testChart } from '../util';

/** The model a chart's manifests carry, parsed. */
function modelIn(objects: KubeObject[]): NetworkModel {
  return JSON.parse(find(objects, 'ConfigMap', NETWORK_MODEL_CONFIGMAP).data[NETWORK_MODEL_KEY]);
}

function modelOf(chart: FabricChart): NetworkModel {
  return modelIn(Testing.synth(chart) as KubeObject[]);
}

describe('network model', () => {
  test('GIVEN the reference network WHEN synthesized THEN its model lists the orderer, both orgs with their nodes, the channel and the chaincode with its servers and packages', () => {
    const { chart, objects } = synthTestNetwork();
    const model = modelIn(objects);

    expect([model.network, model.namespace, model.fabricVersion]).toEqual(['test-network', 'fabric', '2.5.9']);
    expect(model.organizations).toEqual([
      { name: 'orderer', mspId: 'OrdererMSP', kind: 'orderer', nodes: ['orderer-node0', 'orderer-node1', 'orderer-node2'] },
      { name: 'org1', mspId: 'Org1MSP', kind: 'peer', nodes: ['org1-peer0'] },
      { name: 'org2', mspId: 'Org2MSP', kind: 'peer', nodes: ['org2-peer0'] },
    ]);
    expect(model.channels).toEqual([
      { name: 'mychannel', orderers: ['orderer'], consenters: ['orderer-node0', 'orderer-node1', 'orderer-node2'], members: ['org1', 'org2'], defaultEndorsement: 'MAJORITY' },
    ]);
    expect(model.chaincodes).toEqual([{
      name: 'basic',
      channel: 'mychannel',
      version: '1.0',
      orgs: ['org1', 'org2'],
      endorsementPolicy: '/Channel/Application/Endorsement',
      servers: [chart.basic.serverOf(chart.org1).name, chart.basic.serverOf(chart.org2).name],
      packageIds: [chart.basic.packageId(chart.org1), chart.basic.packageId(chart.org2)],
    }]);
  });

  test('GIVEN the reference network WHEN its model is read THEN every name in it is an object the manifests hold', () => {
    const { objects } = synthTestNetwork();
    const model = modelIn(objects);
    for (const node of model.organizations.flatMap((org) => org.nodes)) {
      expect(find(objects, 'StatefulSet', node).metadata.name).toBe(node);
    }
    for (const server of model.chaincodes.flatMap((chaincode) => chaincode.servers)) {
      expect(find(objects, 'Deployment', server).metadata.name).toBe(server);
    }
    expect(model.chaincodes[0].servers.map((server) => find(objects, 'Deployment', server).metadata.labels!['hyperkube.io/organization'])).toEqual(model.chaincodes[0].orgs);
  });

  test('GIVEN the multi-org network WHEN synthesized THEN its model has both ordering orgs, both channels with their consenters and members, and each chaincode with its policy', () => {
    const model = modelIn(synthMultiOrg().objects);

    expect([model.network, model.namespace]).toEqual(['multi-org', 'fabric-multi']);
    expect(model.organizations.map((org) => [org.name, org.mspId, org.kind, org.nodes])).toEqual([
      ['bank', 'BankMSP', 'peer', ['bank-peer0', 'bank-peer1']],
      ['insurer', 'InsurerMSP', 'peer', ['insurer-peer0', 'insurer-peer1']],
      ['ord-a', 'OrdererAMSP', 'orderer', ['ord-a-node0', 'ord-a-node1', 'ord-a-node2']],
      ['ord-b', 'OrdererBMSP', 'orderer', ['ord-b-node0', 'ord-b-node1']],
      ['shipper', 'ShipperMSP', 'peer', ['shipper-peer0', 'shipper-peer1']],
    ]);
    expect(model.channels).toEqual([
      { name: 'claims', orderers: ['ord-b'], consenters: ['ord-b-node0', 'ord-b-node1'], members: ['bank', 'insurer'], defaultEndorsement: 'MAJORITY' },
      {
        name: 'trade',
        orderers: ['ord-a', 'ord-b'],
        consenters: ['ord-a-node0', 'ord-a-node1', 'ord-a-node2', 'ord-b-node0', 'ord-b-node1'],
        members: ['bank', 'insurer', 'shipper'],
        defaultEndorsement: 'MAJORITY',
      },
    ]);
    expect(model.chaincodes.map(({ name, channel, version, orgs, endorsementPolicy }) => ({ name, channel, version, orgs, endorsementPolicy }))).toEqual([
      { name: 'policies', channel: 'claims', version: '2.1', orgs: ['bank', 'insurer'], endorsementPolicy: "AND('BankMSP.peer', 'InsurerMSP.peer')" },
      { name: 'letters', channel: 'trade', version: '1.0', orgs: ['bank', 'insurer', 'shipper'], endorsementPolicy: "OutOf(2, 'BankMSP.peer', 'ShipperMSP.peer', 'InsurerMSP.peer')" },
    ]);
    expect(model.chaincodes[0].servers).toEqual([expect.stringMatching(/^cc-policies-claims-bank-[0-9a-f]{6}$/), expect.stringMatching(/^cc-policies-claims-insurer-[0-9a-f]{6}$/)]);
    expect(model.chaincodes[1].servers).toEqual(['bank', 'insurer', 'shipper'].map((org) => expect.stringMatching(new RegExp(`^cc-letters-trade-${org}-[0-9a-f]{6}$`))));
  });

  test('GIVEN a chart WHEN synthesized THEN the model is a ConfigMap labelled like the chart\'s other objects, holding pretty JSON', () => {
    const { objects } = synthTestNetwork();
    const configMap = find(objects, 'ConfigMap', 'hyperkube-model');
    expect(configMap.metadata).toEqual({
      name: 'hyperkube-model',
      namespace: 'fabric',
      labels: { 'app.kubernetes.io/component': 'model', 'app.kubernetes.io/managed-by': 'hyperkube', 'app.kubernetes.io/part-of': 'test-network' },
    });
    const text = configMap.data['model.json'];
    expect(Object.keys(configMap.data)).toEqual(['model.json']);
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), undefined, 2)}\n`);
  });

  test('GIVEN organizations, a channel and a chaincode added after the chart WHEN synthesized THEN the model holds them (it is read at synth)', () => {
    const chart = testChart();
    expect(modelOf(chart)).toEqual({ network: 'net', namespace: 'fabric', fabricVersion: '2.5.9', organizations: [], channels: [], chaincodes: [] });

    const later = testChart();
    const orderer = new Orderer(later, 'orderer', { mspId: 'OrdererMSP', consenters: 1 });
    const org1 = new PeerOrg(later, 'org1', { mspId: 'Org1MSP' });
    new Channel(later, 'ch', { orderers: [orderer], members: [org1] }).addChaincode('cc', { image: IMAGE });
    const model = modelOf(later);
    expect([model.organizations.length, model.channels.length, model.chaincodes.length]).toEqual([2, 1, 1]);
  });

  test('GIVEN organizations and members declared out of order and an org of eleven peers WHEN the model is built THEN lists are sorted by name and nodes stay in index order', () => {
    const chart = testChart();
    const orderer = new Orderer(chart, 'orderer', { mspId: 'OrdererMSP', consenters: 1 });
    const zeta = new PeerOrg(chart, 'zeta', { mspId: 'ZetaMSP', peers: 11 });
    const alpha = new PeerOrg(chart, 'alpha', { mspId: 'AlphaMSP' });
    const second = new Channel(chart, 'second', { orderers: [orderer], members: [zeta, alpha] });
    new Channel(chart, 'first', { orderers: [orderer], members: [alpha] });
    second.addChaincode('zz', { image: IMAGE, orgs: [zeta, alpha] });
    second.addChaincode('aa', { image: IMAGE });

    const model = buildNetworkModel(chart);
    expect(model.organizations.map((org) => org.name)).toEqual(['alpha', 'orderer', 'zeta']);
    expect(model.organizations[2].nodes).toEqual(Array.from({ length: 11 }, (_, index) => `zeta-peer${index}`));
    expect(model.channels.map((channel) => [channel.name, channel.members])).toEqual([['first', ['alpha']], ['second', ['alpha', 'zeta']]]);
    expect(model.chaincodes.map((chaincode) => chaincode.name)).toEqual(['aa', 'zz']);
    // Each server stays beside the org that runs it.
    const zz = model.chaincodes[1];
    expect(zz.orgs).toEqual(['alpha', 'zeta']);
    expect(zz.servers).toEqual([expect.stringMatching(/^cc-zz-second-alpha-/), expect.stringMatching(/^cc-zz-second-zeta-/)]);
  });

  test('GIVEN chaincodes with a signature policy, a channel config policy and none WHEN the model is built THEN each shows its own, and the channel its default rule', () => {
    const { chart, channel, org1 } = network();
    const signed = channel.addChaincode('signed', { image: IMAGE, endorsementPolicy: EndorsementPolicy.signature("  OR('Org1MSP.peer', 'Org2MSP.peer') ") });
    const referenced = channel.addChaincode('referenced', { image: IMAGE, endorsementPolicy: EndorsementPolicy.channelConfig('/Channel/Application/Org1MSP/Endorsement'), orgs: [org1, channel.members[1]] });
    const plain = channel.addChaincode('plain', { image: IMAGE });

    expect(signed.endorsementPolicy?.signaturePolicy?.expression).toBe("OR('Org1MSP.peer', 'Org2MSP.peer')");
    expect(referenced.endorsementPolicy?.channelConfigPolicy).toBe('/Channel/Application/Org1MSP/Endorsement');
    expect(plain.endorsementPolicy).toBeUndefined();
    const policies = Object.fromEntries(buildNetworkModel(chart).chaincodes.map((chaincode) => [chaincode.name, chaincode.endorsementPolicy]));
    expect(policies).toEqual({
      signed: "OR('Org1MSP.peer', 'Org2MSP.peer')",
      referenced: '/Channel/Application/Org1MSP/Endorsement',
      plain: '/Channel/Application/Endorsement',
    });

    const strict = testChart();
    const orderer = new Orderer(strict, 'orderer', { mspId: 'OrdererMSP', consenters: 1 });
    const only = new PeerOrg(strict, 'org1', { mspId: 'Org1MSP' });
    new Channel(strict, 'ch', { orderers: [orderer], members: [only], policies: { endorsement: ImplicitMetaRule.ALL } });
    expect(buildNetworkModel(strict).channels[0].defaultEndorsement).toBe('ALL');
  });

  test('GIVEN a chaincode run by two of three members WHEN the model is built THEN only those orgs and their servers are listed', () => {
    const { chart, orderer, org1, org2, org3 } = network();
    const channel = new Channel(chart, 'three', { orderers: [orderer], members: [org3, org2, org1] });
    const cc = channel.addChaincode('pair', { image: IMAGE, orgs: [org3, org2] });
    const [model] = buildNetworkModel(chart).chaincodes;
    expect([model.orgs, model.servers]).toEqual([['org2', 'org3'], [cc.serverOf(org2).name, cc.serverOf(org3).name]]);
  });

  test('GIVEN Fabric CA identities WHEN the model is built THEN each organization names its CA; with generated identities none does', () => {
    const caMode = synthTestNetwork({ identities: new FabricCaIdentities() }).objects;
    const withCa = modelIn(caMode);
    expect(withCa.organizations.map((org) => [org.name, org.ca])).toEqual([['orderer', 'orderer-ca'], ['org1', 'org1-ca'], ['org2', 'org2-ca']]);
    for (const org of withCa.organizations) {
      expect(find(caMode, 'StatefulSet', org.ca!).metadata.labels!['hyperkube.io/organization']).toBe(org.name);
    }

    for (const org of modelIn(synthTestNetwork().objects).organizations) {
      expect(org).not.toHaveProperty('ca');
    }
  });

  test('GIVEN separate Secrets WHEN synthesized THEN the model stays in the network\'s chart, and the chart of Secrets has none', () => {
    const { chart, objects } = synthTestNetwork({ separateSecrets: true });
    expect(modelIn(objects).organizations).toHaveLength(3);
    const secrets = Testing.synth(chart.secretsChart!) as KubeObject[];
    expect(ofKind(secrets, 'ConfigMap')).toEqual([]);
  });

  test('GIVEN the same app twice WHEN the model is built THEN the JSON is the same', () => {
    const text = (objects: KubeObject[]) => find(objects, 'ConfigMap', 'hyperkube-model').data['model.json'];
    expect(text(synthMultiOrg().objects)).toBe(text(synthMultiOrg().objects));
  });
});
