import { callsKubernetesApi, containersOf, find, holdsPrivateKey, hygieneProblems, podSpec, synthMultiOrg, synthTestNetwork, workloads } from '../util';

describe.each([['test-network', synthTestNetwork], ['multi-org', synthMultiOrg]] as const)('hygiene of %s', (_name, synth) => {
  const { objects } = synth();

  test('GIVEN every object WHEN every hygiene check runs (the one the property test applies to random networks) THEN none finds a problem', () => {
    expect(hygieneProblems(objects)).toEqual([]);
  });

  test('GIVEN every object WHEN searched for key material, plain or base64, THEN private keys appear only in Secrets', () => {
    const offenders = objects.filter((o) => o.kind !== 'Secret' && holdsPrivateKey(o));
    expect(offenders.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
    expect(objects.filter((o) => o.kind === 'Secret' && holdsPrivateKey(o)).length).toBeGreaterThan(0);
  });

  test('GIVEN every pod template WHEN checked THEN only the chaincode and channel reconcile Jobs, which call the Kubernetes API, get a service-account token', () => {
    for (const workload of workloads(objects)) {
      const wanted = callsKubernetesApi(workload);
      expect([workload.metadata.name, podSpec(workload).automountServiceAccountToken]).toEqual([workload.metadata.name, wanted]);
    }
    expect(workloads(objects).filter(callsKubernetesApi).map((job) => job.metadata.labels?.['hyperkube.io/step']).sort())
      .toEqual(expect.arrayContaining(['approve-chaincode', 'commit-chaincode', 'reconcile-channel']));
  });

  test('GIVEN the chaincode Jobs\' Role WHEN read THEN it allows reading and deleting Deployments and Services and listing Pods only, for their service account only', () => {
    const role = find(objects, 'Role', 'hyperkube-chaincode-jobs');
    expect(role.rules).toEqual([
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'delete'] },
      { apiGroups: [''], resources: ['services'], verbs: ['list', 'delete'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
    ]);
    const binding = find(objects, 'RoleBinding', 'hyperkube-chaincode-jobs');
    expect(binding.subjects.map((subject: any) => `${subject.kind}/${subject.name}`)).toEqual(['ServiceAccount/hyperkube-chaincode-jobs']);
    expect(objects.filter((o) => ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'].includes(o.kind))).toHaveLength(2);
  });

  test('GIVEN every container WHEN checked THEN its default CPU request is explicit and at most 500m (small by default), and it has limits', () => {
    for (const workload of workloads(objects)) {
      for (const container of containersOf(workload)) {
        const cpu = String(container.resources?.requests?.cpu ?? 'none');
        const millicores = cpu.endsWith('m') ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000;
        expect({ container: `${workload.metadata.name}/${container.name}`, explicit: cpu !== 'none' && millicores <= 500 }).toEqual({ container: `${workload.metadata.name}/${container.name}`, explicit: true });
        expect(container.resources.limits.memory).toBeDefined();
      }
    }
  });

  test('GIVEN every container WHEN its image is read THEN it is pinned to a version', () => {
    for (const workload of workloads(objects)) {
      for (const container of containersOf(workload)) {
        expect(container.image).toMatch(/^[^:@]+(:(?!latest$)[\w][\w.-]*|@sha256:[0-9a-f]{64})$/);
      }
    }
  });

  test('GIVEN every object WHEN checked THEN it is namespaced (except the Namespace) and uniquely named', () => {
    const keys = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const object of objects) {
      expect(object.metadata.namespace === undefined).toBe(object.kind === 'Namespace');
      expect(object.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    }
  });

  test('GIVEN every object WHEN checked THEN it is written as the API server stores it, so a re-apply reports no change', () => {
    for (const secret of objects.filter((o) => o.kind === 'Secret')) {
      expect([secret.metadata.name, secret.stringData]).toEqual([secret.metadata.name, undefined]);
    }
    for (const workload of workloads(objects)) {
      for (const container of containersOf(workload)) {
        expect((container.env ?? []).filter((e: any) => e.value === '')).toEqual([]);
      }
    }
  });

  test('GIVEN every Job WHEN checked THEN its name fits the 63-character label limit and its retries are bounded', () => {
    for (const job of objects.filter((o) => o.kind === 'Job')) {
      expect(job.metadata.name.length).toBeLessThanOrEqual(63);
      expect(job.spec.backoffLimit).toBeLessThanOrEqual(10);
      expect(job.spec.activeDeadlineSeconds).toBeGreaterThan(0);
    }
  });
});

test('GIVEN the reference network WHEN its Namespace is read THEN it comes first so kubectl apply creates it before the rest', () => {
  const { objects } = synthTestNetwork();
  expect(objects[0].kind).toBe('Namespace');
  expect(find(objects, 'Namespace', 'fabric').metadata.namespace).toBeUndefined();
});
