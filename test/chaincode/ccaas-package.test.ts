import { createHash, X509Certificate } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { CcaasPackage } from '../../lib';
import { find, secretData, synthTestNetwork } from '../util';

/** Reads a ustar archive independently of the library: name, size and content of each regular file. */
function untar(archive: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (let offset = 0; offset + 512 <= archive.length;) {
    const header = archive.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(header.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim(), 8);
    files.set(name, archive.subarray(offset + 512, offset + 512 + size));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

describe('the CCaaS package of the reference chaincode', () => {
  const { chart, objects } = synthTestNetwork();
  const server = chart.basic.serverOf(chart.org1).name;
  const configMap = find(objects, 'ConfigMap', `${server}-package`);
  const bytes = Buffer.from(configMap.binaryData['package.tar.gz'], 'base64');
  const outer = untar(gunzipSync(bytes));

  test('GIVEN the package WHEN unpacked THEN it holds exactly metadata.json (type ccaas) and code.tar.gz', () => {
    expect([...outer.keys()].sort()).toEqual(['code.tar.gz', 'metadata.json']);
    expect(JSON.parse(outer.get('metadata.json')!.toString())).toEqual({ type: 'ccaas', label: 'basic_1.0' });
  });

  test('GIVEN code.tar.gz WHEN unpacked THEN connection.json points at the org\'s chaincode Service over TLS', () => {
    const code = untar(gunzipSync(outer.get('code.tar.gz')!));
    expect([...code.keys()]).toEqual(['connection.json']);
    const connection = JSON.parse(code.get('connection.json')!.toString());
    const service = find(objects, 'Service', server);
    expect(connection.address).toBe(`${service.metadata.name}.fabric.svc.cluster.local:${service.spec.ports[0].port}`);
    expect(connection.tls_required).toBe(true);
    expect(connection.root_cert).toBe(find(objects, 'ConfigMap', 'org1-msp').data['tlsca.pem']);
    const serverCert = new X509Certificate(secretData(find(objects, 'Secret', `${server}-tls`))['tls.crt']);
    expect(serverCert.subjectAltName).toContain(`DNS:${connection.address.split(':')[0]}`);
  });

  test('GIVEN the package bytes WHEN hashed here THEN the package ID is label:sha256, and the server and install Job use it', () => {
    const expected = `basic_1.0:${createHash('sha256').update(bytes).digest('hex')}`;
    expect(chart.basic.packageId(chart.org1)).toBe(expected);
    const container = find(objects, 'Deployment', server).spec.template.spec.containers[0];
    expect(container.env).toContainEqual({ name: 'CHAINCODE_ID', value: expected });
    const install = objects.find((o) => o.kind === 'Job' && o.metadata.name.startsWith('cc-basic-mychannel-org1-approve-'))!;
    expect(install.spec.template.spec.containers[0].env).toContainEqual({ name: 'CC_PACKAGE_ID', value: expected });
  });

  test('GIVEN each org WHEN packaged THEN each gets its own package pointing at its own server', () => {
    expect(chart.basic.packageId(chart.org2)).not.toBe(chart.basic.packageId(chart.org1));
    expect(chart.basic.packageOf(chart.org2).connectionJson).toContain(`${chart.basic.serverOf(chart.org2).name}.fabric.svc.cluster.local:9999`);
  });

  test('GIVEN the same inputs WHEN built twice THEN the bytes are identical', () => {
    const first = CcaasPackage.build('x_1', { address: 'a:1' });
    const second = CcaasPackage.build('x_1', { address: 'a:1' });
    expect(second.base64).toBe(first.base64);
    expect(second.packageId).toBe(first.packageId);
    expect(JSON.parse(first.connectionJson).tls_required).toBe(false);
  });
});
