import { Duration, Testing } from 'cdk8s';
import { FabricCaIdentities } from '../../lib';
import { TestNetwork } from '../../apps/test-network/network';
import { envOf, find, holdsPrivateKey, hygieneProblems, KubeObject, ofKind, podSpec } from '../util';

/** The reference network in Fabric CA mode. */
function synthCaNetwork(props: ConstructorParameters<typeof FabricCaIdentities>[0] = {}) {
  const chart = new TestNetwork(Testing.app(), 'test-network', { identities: new FabricCaIdentities(props) });
  return { chart, objects: Testing.synth(chart) as KubeObject[] };
}

describe('FabricCaIdentities', () => {
  test('GIVEN the reference network in CA mode WHEN synthesized THEN the manifests hold no Secret, no key and no certificate, and pass the hygiene rules', () => {
    const { objects } = synthCaNetwork();
    expect(ofKind(objects, 'Secret')).toEqual([]);
    expect(objects.filter(holdsPrivateKey)).toEqual([]);
    expect(JSON.stringify(objects)).not.toContain('BEGIN CERTIFICATE');
    expect(hygieneProblems(objects)).toEqual([]);
    expect(ofKind(objects, 'StatefulSet').map((o) => o.metadata.name)).toEqual(expect.arrayContaining(['orderer-ca', 'org1-ca', 'org2-ca']));
  });

  test('GIVEN an organization WHEN synthesized THEN its enroll Job lists every identity it asked for, and the renew CronJob runs the same script in renewal mode', () => {
    const { objects } = synthCaNetwork({ certificateLifetime: Duration.days(90), renewalSchedule: '0 * * * *' });
    const job = ofKind(objects, 'Job').find((o) => o.metadata.name.startsWith('org1-enroll-')) as KubeObject;
    const env = envOf(podSpec(job).containers[0]);
    const identities = env.IDENTITIES.split('\n').map((line) => JSON.parse(line));
    expect(identities.map((i) => [i.secretName, i.role ?? '-', i.restarts ?? '-'])).toEqual([
      ['org1-admin', 'admin', '-'],
      ['org1-peer0-identity', 'peer', 'statefulset/org1-peer0'],
      ['org1-user1', 'client', '-'],
      [expect.stringMatching(/^cc-basic-mychannel-org1-[0-9a-f]+-tls$/), '-', expect.stringMatching(/^deployment\/cc-basic-mychannel-org1-/)],
    ]);
    expect(identities[1].tlsHosts).toEqual(expect.arrayContaining(['org1-peer0.fabric.svc.cluster.local', 'localhost']));
    expect([env.CERTIFICATE_LIFETIME_SECONDS, env.RENEWAL_WINDOW_SECONDS, env.RUN_MODE]).toEqual([String(90 * 86400), String(30 * 86400), 'enroll']);
    const cronJob = find(objects, 'CronJob', 'org1-renew-identities');
    expect(cronJob.spec.schedule).toBe('0 * * * *');
    expect(cronJob.spec.concurrencyPolicy).toBe('Forbid');
    const renewEnv = envOf(cronJob.spec.jobTemplate.spec.template.spec.containers[0]);
    expect(renewEnv).toEqual({ ...env, RUN_MODE: 'renew' });
  });

  test('GIVEN an organization WHEN synthesized THEN its Role reaches only its own Secrets, ConfigMaps and restarted workloads by name', () => {
    const { objects } = synthCaNetwork();
    const rules = find(objects, 'Role', 'org1-enroll').rules;
    expect(rules[0]).toEqual({ apiGroups: [''], resources: ['secrets', 'configmaps'], verbs: ['create'] });
    expect(rules[1].resourceNames).toEqual([
      expect.stringMatching(/^cc-basic-mychannel-org1-[0-9a-f]+-tls$/), 'org1-admin', 'org1-ca-admin', 'org1-ca-tls', 'org1-peer0-identity', 'org1-user1',
    ]);
    expect(rules[2].resourceNames).toEqual(['org1-connection-profile', 'org1-msp']);
    expect(rules[3]).toEqual({ apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['get', 'patch'], resourceNames: ['org1-peer0'] });
    const ordererRules = find(objects, 'Role', 'orderer-enroll').rules;
    expect(ordererRules[3].resourceNames).toEqual(['orderer-node0', 'orderer-node1', 'orderer-node2']);
    // No chaincode server to restart: no rule for Deployments, rather than one with no names.
    expect(ordererRules.map((rule: any) => rule.resources[0])).toEqual(['secrets', 'secrets', 'configmaps', 'statefulsets']);
    expect(find(objects, 'RoleBinding', 'org1-enroll').subjects).toEqual([{ kind: 'ServiceAccount', name: 'org1-enroll', namespace: 'fabric' }]);
    const peer = find(objects, 'StatefulSet', 'org1-peer0');
    expect(podSpec(peer).automountServiceAccountToken).toBe(false);
  });

  test('GIVEN renewBefore WHEN synthesized THEN identities become due that long before they expire', () => {
    const { objects } = synthCaNetwork({ certificateLifetime: Duration.minutes(10), renewBefore: Duration.minutes(8) });
    const job = ofKind(objects, 'Job').find((o) => o.metadata.name.startsWith('orderer-enroll-')) as KubeObject;
    expect(envOf(podSpec(job).containers[0]).RENEWAL_WINDOW_SECONDS).toBe('480');
  });

  test('GIVEN mistakes WHEN FabricCaIdentities is made THEN each is refused naming the prop and the fix', () => {
    expect(() => new FabricCaIdentities({ lifetime: Duration.days(1) } as never)).toThrow('FabricCaIdentities: unknown prop lifetime; the props are certificateLifetime, renewBefore, renewalSchedule, caStorage.');
    expect(() => new FabricCaIdentities({ certificateLifetime: Duration.days(30), renewBefore: Duration.days(30) })).toThrow('FabricCaIdentities: renewBefore (2592000 s) must be positive and shorter than certificateLifetime (2592000 s), or a certificate would be renewed at once, again and again.');
    expect(() => new FabricCaIdentities({ renewBefore: Duration.days(400) })).toThrow(/renewBefore \(34560000 s\) must be positive and shorter than certificateLifetime \(31536000 s\)/);
    expect(() => new FabricCaIdentities({ certificateLifetime: 3600 as never })).toThrow('FabricCaIdentities: certificateLifetime must be a cdk8s Duration, got number 3600. Write it like Duration.days(90).');
    expect(() => new FabricCaIdentities({ certificateLifetime: Duration.seconds(30) })).toThrow(/certificateLifetime is 30 s; give at least a minute/);
    expect(() => new FabricCaIdentities('x' as never)).toThrow(/FabricCaIdentities: props/);
  });
});
