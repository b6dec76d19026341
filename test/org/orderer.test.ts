import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import { Orderer } from '../../lib';
import { envOf, find, KubeObject, ofKind, podSpec, synthTestNetwork, testChart } from '../util';

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

describe('OrdererNode', () => {
  test('GIVEN an orderer WHEN ApiObject.of(node) is patched THEN that node\'s StatefulSet carries the patch', () => {
    const chart = testChart();
    const orderer = new Orderer(chart, 'orderer', { mspId: 'OrdererMSP', consenters: 3 });
    ApiObject.of(orderer.nodes[2]).addJsonPatch(JsonPatch.add('/spec/template/spec/nodeSelector', { zone: 'c' }));
    const objects = Testing.synth(chart) as KubeObject[];
    expect(podSpec(find(objects, 'StatefulSet', 'orderer-node2')).nodeSelector).toEqual({ zone: 'c' });
    expect(podSpec(find(objects, 'StatefulSet', 'orderer-node1')).nodeSelector).toBeUndefined();
  });

  test('GIVEN an orderer WHEN its nodes are read THEN each has the addresses and TLS certificate channels need', () => {
    const chart = testChart();
    const node = new Orderer(chart, 'orderer', { mspId: 'OrdererMSP', consenters: 1 }).nodes[0];
    expect(node.address).toBe('orderer-node0.fabric.svc.cluster.local:7050');
    expect(node.adminAddress).toBe('orderer-node0.fabric.svc.cluster.local:7053');
    expect(node.tlsCertificatePem).toContain('BEGIN CERTIFICATE');
  });
});
