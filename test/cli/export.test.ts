import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GATEWAY_LAYOUT } from '../../lib/application/gateway-layout';
import { exportIdentity } from '../../lib/cli/export';
import { find, secretData, synthTestNetwork } from '../util';
import { FakeCluster } from './fake-cluster';

/** A cluster holding the reference network's ConfigMaps and Secrets, as the generated mode writes them. */
function referenceCluster(): FakeCluster {
  const { objects } = synthTestNetwork();
  const cluster = new FakeCluster();
  cluster.configMaps = objects.filter((o) => o.kind === 'ConfigMap') as never;
  cluster.secrets = objects.filter((o) => o.kind === 'Secret') as never;
  return cluster;
}

describe('hyperkube export', () => {
  test('GIVEN the reference network WHEN org1 user1 is exported THEN the folder holds its profile, MSP, TLS CA and gateway settings, the key readable by its owner only', async () => {
    const out = mkdtempSync(join(tmpdir(), 'hyperkube-export-'));
    const exported = await exportIdentity(referenceCluster(), 'fabric', 'org1', 'user1', out);
    const { objects } = synthTestNetwork();
    const user = secretData(find(objects, 'Secret', 'org1-user1'));
    const msp = find(objects, 'ConfigMap', 'org1-msp').data;
    expect(exported.mspId).toBe('Org1MSP');
    expect(readFileSync(join(out, GATEWAY_LAYOUT.CERT), 'utf8')).toBe(user['cert.pem']);
    expect(readFileSync(join(out, GATEWAY_LAYOUT.KEY), 'utf8')).toBe(user['key.pem']);
    expect(statSync(join(out, GATEWAY_LAYOUT.KEY)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(out, GATEWAY_LAYOUT.TLS_CA), 'utf8')).toBe(msp['tlsca.pem']);
    expect(readFileSync(join(out, GATEWAY_LAYOUT.NODE_OUS), 'utf8')).toBe(msp['config.yaml']);
    expect(JSON.parse(readFileSync(join(out, GATEWAY_LAYOUT.PROFILE), 'utf8')).client.organization).toBe('Org1MSP');
    expect(readFileSync(join(out, GATEWAY_LAYOUT.ENV), 'utf8')).toBe([
      'MSP_ID=Org1MSP', 'PEER_ENDPOINT=org1-peer0.fabric.svc.cluster.local:7051', 'PEER_HOST_ALIAS=org1-peer0.fabric.svc.cluster.local',
      'CERT_PATH=msp/signcerts/cert.pem', 'KEY_PATH=msp/keystore/key.pem', 'TLS_CERT_PATH=tls/ca.pem', '',
    ].join('\n'));
  });

  test('GIVEN a user or org that is not there WHEN exported THEN the error names the object, the namespace and what to check', async () => {
    const out = mkdtempSync(join(tmpdir(), 'hyperkube-export-'));
    await expect(exportIdentity(referenceCluster(), 'fabric', 'org1', 'user9', out))
      .rejects.toThrow('Secret org1-user9 is not in namespace fabric (is user9 one of the users of PeerOrg org1?); is org1 a peer organization of the network there (-n names the namespace), and is it up (hyperkube wait)?');
    await expect(exportIdentity(referenceCluster(), 'fabric', 'orderer', 'user1', out)).rejects.toThrow(/^ConfigMap orderer-connection-profile is not in namespace fabric/);
  });
});
