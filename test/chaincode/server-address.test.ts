import { ApiObject, Testing } from 'cdk8s';
import { ExternalChaincodeOptions } from '../../lib';
import { chaincodeServerEnv } from '../../lib/cli/chaincode-env';
import { mermaid, svg } from '../../lib/cli/diagram';
import { buildNetworkModel } from '../../lib/model/model-builder';
import { envOf, hygieneProblems, IMAGE, KubeObject, network, ofKind, podSpec } from '../util';

const DEV_ADDRESS = '10.0.0.5:9999';

/** The test network with `basic` on its channel, given `options`, synthesized. */
function withChaincode(options: Partial<ExternalChaincodeOptions>) {
  const { chart, channel, org1, org2 } = network();
  const cc = channel.addChaincode('basic', options as ExternalChaincodeOptions);
  const objects = Testing.synth(chart) as KubeObject[];
  return { chart, cc, org1, org2, objects };
}

describe('ExternalChaincode with a server outside the cluster', () => {
  test('GIVEN serverAddress WHEN synthesized THEN no Deployment, Service or TLS Secret is made and every org\'s package points at the address without TLS', () => {
    const { cc, org1, org2, objects } = withChaincode({ serverAddress: DEV_ADDRESS });
    expect(ofKind(objects, 'Deployment').filter((d) => d.metadata.name.startsWith('cc-basic-'))).toEqual([]);
    expect(ofKind(objects, 'Service').filter((s) => s.metadata.name.startsWith('cc-basic-'))).toEqual([]);
    expect(ofKind(objects, 'Secret').filter((s) => s.metadata.name.startsWith('cc-basic-'))).toEqual([]);
    expect(JSON.parse(cc.packageOf(org1).connectionJson)).toMatchObject({ address: DEV_ADDRESS, tls_required: false });
    expect(cc.packageId(org1)).toBe(cc.packageId(org2));
    expect(cc.servers.map((server) => server.replicas)).toEqual([0, 0]);
    expect(hygieneProblems(objects)).toEqual([]);
  });

  test('GIVEN serverAddress WHEN synthesized THEN the approve Jobs install the package without waiting for a server pod', () => {
    const { cc, org1, objects } = withChaincode({ serverAddress: DEV_ADDRESS });
    const approve = ofKind(objects, 'Job').find((job) => job.metadata.name.startsWith('cc-basic-mychannel-org1-approve-'))!;
    const env = envOf(podSpec(approve).containers[0]);
    expect(env.CC_SERVER_REPLICAS).toBe('0');
    expect(env.CC_PACKAGE_ID).toBe(cc.packageId(org1));
    expect(ofKind(objects, 'ConfigMap').map((c) => c.metadata.name)).toContain(`${cc.serverOf(org1).name}-package`);
  });

  test('GIVEN a server moved from the cluster to serverAddress WHEN synthesized THEN it is a new revision with a new package, so the Jobs re-approve and retire the old server', () => {
    const inCluster = withChaincode({ image: IMAGE });
    const outside = withChaincode({ serverAddress: DEV_ADDRESS });
    expect(outside.cc.serverOf(outside.org1).name).not.toBe(inCluster.cc.serverOf(inCluster.org1).name);
    expect(outside.cc.packageId(outside.org1)).not.toBe(inCluster.cc.packageId(inCluster.org1));
  });

  test('GIVEN serverAddress WHEN the server is patched through ApiObject.of THEN the escape hatch reaches its package ConfigMap', () => {
    const { cc, org1 } = withChaincode({ serverAddress: DEV_ADDRESS });
    expect(ApiObject.of(cc.serverOf(org1)).kind).toBe('ConfigMap');
  });

  test('GIVEN serverAddress WHEN the model is built THEN it names the address and the package IDs, and no server workload', () => {
    const { chart, cc, org1 } = withChaincode({ serverAddress: DEV_ADDRESS });
    const [model] = buildNetworkModel(chart).chaincodes;
    expect(model).toMatchObject({ name: 'basic', serverAddress: DEV_ADDRESS, servers: [], packageIds: [cc.packageId(org1), cc.packageId(org1)] });
  });

  test('GIVEN serverAddress WHEN the network is drawn THEN the chaincode is run by the address, not by a server in an org', () => {
    const { chart } = withChaincode({ serverAddress: DEV_ADDRESS });
    const model = buildNetworkModel(chart);
    expect(mermaid(model)).toContain('CC1X(["server outside the cluster: 10.0.0.5:9999"]):::server\n  CC1X -.->|runs| CC1');
    expect(mermaid(model)).not.toContain('[["cc-basic-');
    expect(svg(model)).toContain('>at 10.0.0.5:9999<');
  });

  test('GIVEN the model of a chaincode at serverAddress WHEN chaincode-env is asked THEN it prints the package ID and a listen address on the port', () => {
    const { chart, cc, org1 } = withChaincode({ serverAddress: DEV_ADDRESS });
    expect(chaincodeServerEnv(buildNetworkModel(chart), 'basic')).toBe(`CHAINCODE_ID=${cc.packageId(org1)}\nCHAINCODE_SERVER_ADDRESS=0.0.0.0:9999\n`);
  });

  test('GIVEN a chaincode that runs in the cluster WHEN chaincode-env is asked THEN it says how to move the server out', () => {
    const { chart } = withChaincode({ image: IMAGE });
    expect(() => chaincodeServerEnv(buildNetworkModel(chart), 'basic')).toThrow(/chaincode basic on channel mychannel runs in the cluster \(cc-basic-mychannel-org1-[0-9a-f]{6}, .*give it serverAddress/);
  });

  test('GIVEN a chaincode name the network lacks WHEN chaincode-env is asked THEN it lists the chaincodes there are', () => {
    const { chart } = withChaincode({ serverAddress: DEV_ADDRESS });
    expect(() => chaincodeServerEnv(buildNetworkModel(chart), 'basci')).toThrow('network net has no chaincode basci; its chaincodes: basic on mychannel.');
    expect(() => chaincodeServerEnv(buildNetworkModel(chart), 'basic', 'other')).toThrow('has no chaincode basic on channel other;');
  });

  test.each([
    ['neither image nor serverAddress', {}, /give image \(the chaincode server's image, run in the cluster\), or serverAddress/],
    ['image and serverAddress', { image: IMAGE, serverAddress: DEV_ADDRESS }, /serverAddress 10\.0\.0\.5:9999 puts the chaincode server outside the cluster, so image would be unused\. Remove image/],
    ['replicas, resources and env with serverAddress', { serverAddress: DEV_ADDRESS, replicas: 2, resources: {}, env: { A: 'b' } }, /so replicas, resources, env would be unused/],
    ['tls with serverAddress', { serverAddress: DEV_ADDRESS, tls: true }, /tls is true, but the peers reach a server at serverAddress 10\.0\.0\.5:9999 without TLS/],
    ['an address without a port', { serverAddress: 'devbox' }, /serverAddress "devbox" is not host:port\. .*for example "10\.0\.0\.5:9999"/],
    ['a port out of range', { serverAddress: 'devbox:70000' }, /serverAddress "devbox:70000" is not host:port/],
    ['a URL', { serverAddress: 'http://devbox:9999' }, /serverAddress "http:\/\/devbox:9999" is not host:port/],
    ['a number', { serverAddress: 9999 }, /serverAddress must be a string/],
  ])('GIVEN %s WHEN the chaincode is made THEN it is refused, saying what to change', (_, options, message) => {
    const { channel } = network();
    expect(() => channel.addChaincode('basic', options as unknown as ExternalChaincodeOptions)).toThrow(message);
  });

  test('GIVEN serverAddress and tls: false WHEN the chaincode is made THEN it is accepted', () => {
    const { cc } = withChaincode({ serverAddress: 'devbox.example.com:7052', tls: false });
    expect(cc.serverAddress).toBe('devbox.example.com:7052');
  });
});
