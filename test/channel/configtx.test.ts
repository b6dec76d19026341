import { X509Certificate } from 'node:crypto';
import * as yaml from 'js-yaml';
import { find, KubeObject, secretData, synthMultiOrg, synthTestNetwork } from '../util';

describe.each([['test-network', synthTestNetwork], ['multi-org', synthMultiOrg]] as const)('configtx of %s', (_name, synth) => {
  const { chart, objects } = synth();
  const channels = objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('-channel-config'));

  test('GIVEN each channel WHEN its configtx is read THEN every consenter appears with the TLS certificate the node serves', () => {
    expect(channels.length).toBeGreaterThan(0);
    for (const configMap of channels) {
      const profile = (yaml.load(configMap.data['configtx.yaml']) as any).Profiles.Channel;
      const consenters = profile.Orderer.EtcdRaft.Consenters;
      const ordererOrgs = profile.Orderer.Organizations.map((o: any) => o.ID);
      const expectedNodes = chart.node.findAll().filter((c: any) => c.nodes && ordererOrgs.includes(c.mspId)).flatMap((c: any) => c.nodes);
      expect(consenters.map((c: any) => c.Host).sort()).toEqual(expectedNodes.map((n: any) => n.host).sort());
      const reconcile = objects.find((o) => o.kind === 'Job' && o.metadata.name.startsWith(`${configMap.metadata.name.replace(/-channel-config$/, '')}-reconcile-`));
      const channelConfig = (reconcile as KubeObject).spec.template.spec.volumes.find((v: any) => v.name === 'channel-config');
      for (const consenter of consenters) {
        const file = consenter.ServerTLSCert.split('/').pop();
        expect(consenter.ClientTLSCert).toBe(consenter.ServerTLSCert);
        const node = expectedNodes.find((n: any) => n.host === consenter.Host);
        // The certificate the channel config takes is read, in the cluster, from the Secret the node serves.
        expect(channelConfig.projected.sources).toContainEqual({ secret: { name: node.identitySecretName, items: [{ key: 'tls.crt', path: file }] } });
        const cert = new X509Certificate(secretTls(objects, node.name));
        expect(cert.subjectAltName).toContain(`DNS:${consenter.Host}`);
        expect(secretTls(objects, node.name)).toBe(node.tlsCertificatePem);
      }
    }
  });

  test('GIVEN each channel WHEN its configtx is read THEN every member org has its MSP, policies and anchor peers', () => {
    for (const configMap of channels) {
      const profile = (yaml.load(configMap.data['configtx.yaml']) as any).Profiles.Channel;
      for (const org of profile.Application.Organizations) {
        expect(org.MSPDir).toMatch(/^\/var\/hyperledger\/orgs\/[a-z0-9-]+\/msp$/);
        expect(org.Policies.Endorsement.Rule).toBe(`OR('${org.ID}.peer')`);
        expect(org.AnchorPeers.length).toBeGreaterThan(0);
        for (const anchor of org.AnchorPeers) {
          find(objects, 'Service', anchor.Host.split('.')[0]);
          expect(anchor.Port).toBe(7051);
        }
      }
      for (const org of profile.Orderer.Organizations) {
        expect(org.OrdererEndpoints.length).toBeGreaterThan(0);
      }
      expect(profile.Application.Capabilities).toEqual({ V2_5: true });
      expect(profile.Application.Policies.LifecycleEndorsement.Rule).toBe('MAJORITY Endorsement');
      expect(profile.Application.Policies.Admins.Rule).toBe('MAJORITY Admins');
    }
  });
});

test('GIVEN the test network WHEN the channel config is read THEN its members are exactly Org1MSP and Org2MSP behind OrdererMSP', () => {
  const { objects } = synthTestNetwork();
  const profile = (yaml.load(find(objects, 'ConfigMap', 'mychannel-channel-config').data['configtx.yaml']) as any).Profiles.Channel;
  expect(profile.Application.Organizations.map((o: any) => o.ID)).toEqual(['Org1MSP', 'Org2MSP']);
  expect(profile.Orderer.Organizations.map((o: any) => o.ID)).toEqual(['OrdererMSP']);
  expect(profile.Orderer.OrdererType).toBe('etcdraft');
  expect(profile.Orderer.BatchTimeout).toBe('2000ms');
});

function secretTls(objects: any[], node: string): string {
  return secretData(find(objects, 'Secret', `${node}-identity`))['tls.crt'];
}
