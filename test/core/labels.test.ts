import { KubeObject, synthMultiOrg, synthTestNetwork } from '../util';

describe.each([['test-network', synthTestNetwork], ['multi-org', synthMultiOrg]] as const)('labels of %s', (network, synth) => {
  const { objects } = synth();

  test('GIVEN every object WHEN its labels are read THEN it names the network, its component and Hyperkube as its manager', () => {
    for (const object of objects) {
      expect([object.kind, object.metadata.name, object.metadata.labels]).toEqual([object.kind, object.metadata.name, expect.objectContaining({
        'app.kubernetes.io/part-of': network,
        'app.kubernetes.io/managed-by': 'hyperkube',
        'app.kubernetes.io/component': expect.any(String),
      })]);
    }
  });

  test('GIVEN every object that belongs to an organization WHEN its labels are read THEN they name it', () => {
    const perOrg = objects.filter((object) => ['peer', 'orderer', 'msp', 'identity', 'connection-profile'].includes(object.metadata.labels!['app.kubernetes.io/component']));
    expect(perOrg.length).toBeGreaterThan(10);
    for (const object of perOrg) {
      expect(object.metadata.name.startsWith(object.metadata.labels!['hyperkube.io/organization'])).toBe(true);
    }
  });

  test('GIVEN every workload WHEN its pod template is read THEN the pods carry the network label too, so kubectl selects them', () => {
    const templates = objects.filter((object: KubeObject) => object.spec?.template?.metadata);
    expect(templates.length).toBeGreaterThan(5);
    for (const object of templates) {
      expect(object.spec.template.metadata.labels['app.kubernetes.io/part-of']).toBe(network);
    }
  });
});
