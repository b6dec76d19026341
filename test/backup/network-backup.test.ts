import { Testing } from 'cdk8s';
import { BackupTarget, Channel, NetworkBackup, NetworkBackupProps, Orderer, PeerOrg } from '../../lib';
import { envOf, find, KubeObject, ofKind, podSpec, synthTestNetwork, testChart } from '../util';

const S3 = { endpoint: 'http://minio.backups:9000', bucket: 'fabric-backups', credentialsSecret: 'backup-s3' };

/** The reference network with a NetworkBackup of `props`, synthesized. */
function backedUp(props: Partial<NetworkBackupProps>): KubeObject[] {
  const { chart } = synthTestNetwork();
  new NetworkBackup(chart, 'backup', { target: BackupTarget.s3(S3), ...props });
  return Testing.synth(chart) as KubeObject[];
}

const NODES = ['org1-peer0', 'org2-peer0', 'orderer-node0', 'orderer-node1', 'orderer-node2'];

describe('NetworkBackup', () => {
  test('GIVEN the reference network WHEN a backup is asked for THEN a Job backs up every node in order, with a Role that reaches only the nodes\' and agents\' StatefulSets and pods', () => {
    const objects = backedUp({ backupName: 'first' });
    const backupObjects = objects.filter((object) => object.metadata.labels?.['app.kubernetes.io/component'] === 'backup');
    expect(backupObjects.map((object) => `${object.kind}/${object.metadata.name}`)).toMatchSnapshot();
    const job = ofKind(objects, 'Job').find((object) => object.metadata.name.startsWith('backup-first-')) as KubeObject;
    expect(podSpec(job).serviceAccountName).toBe('hyperkube-backup');
    expect(envOf(podSpec(job).containers[0])).toMatchObject({
      BACKUP_NAME: 'first',
      NODES: 'org1-peer0=peer org2-peer0=peer orderer-node0=orderer orderer-node1=orderer orderer-node2=orderer',
      CONSENTER_SETS: 'orderer-node0,orderer-node1,orderer-node2',
      STORE_KIND: 's3', S3_ENDPOINT: 'http://minio.backups:9000', S3_BUCKET: 'fabric-backups', S3_REGION: 'us-east-1',
    });
    expect(podSpec(job).volumes).toContainEqual({ name: 'backup-credentials', secret: { secretName: 'backup-s3', defaultMode: 0o400 } });
    const statefulSets = NODES.flatMap((node) => [node, `${node}-backup`]);
    expect(find(objects, 'Role', 'hyperkube-backup').rules).toEqual([
      { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['get', 'patch'], resourceNames: statefulSets },
      { apiGroups: [''], resources: ['pods'], verbs: ['get'], resourceNames: statefulSets.map((name) => `${name}-0`) },
    ]);
    expect(Object.keys(find(objects, 'ConfigMap', 'hyperkube-backup-scripts').data)).toEqual(['backup-network.sh', 'backup-node.sh', 'backup-store.sh', 'common.sh', 'kube-api.sh', 'restore-node.sh']);
  });

  test('GIVEN a backup WHEN synthesized THEN each node has an agent of no replica that mounts the node\'s ledger volume read-only and learns the backup name from its pod template', () => {
    const objects = backedUp({ backupName: 'first' });
    for (const node of NODES) {
      const agent = find(objects, 'StatefulSet', `${node}-backup`);
      expect(agent.spec.replicas).toBe(0);
      expect(podSpec(agent).volumes).toContainEqual({ name: 'ledger', persistentVolumeClaim: { claimName: `ledger-${node}-0`, readOnly: true } });
      const container = podSpec(agent).containers[0];
      expect(container.volumeMounts).toContainEqual({ name: 'ledger', mountPath: '/var/hyperledger/production', readOnly: true });
      expect(container.env).toContainEqual({ name: 'BACKUP_NAME', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['hyperkube.io/backup-name']" } } });
      expect(envOf(container).NODE).toBe(node);
      expect(podSpec(agent).automountServiceAccountToken).toBe(false);
    }
  });

  test('GIVEN a schedule WHEN synthesized THEN a CronJob runs the same backup, named by time', () => {
    const objects = backedUp({ schedule: '30 2 * * *' });
    const cron = find(objects, 'CronJob', 'hyperkube-backup');
    expect(cron.spec).toMatchObject({ schedule: '30 2 * * *', concurrencyPolicy: 'Forbid' });
    const container = cron.spec.jobTemplate.spec.template.spec.containers[0];
    expect(container.env).toContainEqual({ name: 'BACKUP_NAME' });
    expect(ofKind(objects, 'Job').filter((job) => job.metadata.name.startsWith('backup-'))).toEqual([]);
  });

  test('GIVEN restoreFrom WHEN synthesized THEN every node\'s pod first runs a restore from that backup into its ledger volume, and no backup Job or Role is written', () => {
    const target = BackupTarget.persistentVolumeClaim({ claimName: 'fabric-backups', subPath: 'prod' });
    const { chart } = synthTestNetwork();
    new NetworkBackup(chart, 'backup', { target, restoreFrom: 'first' });
    const objects = Testing.synth(chart) as KubeObject[];
    for (const node of NODES) {
      const pod = podSpec(find(objects, 'StatefulSet', node));
      const [restore, ...others] = pod.initContainers;
      expect(restore.name).toBe('restore');
      expect(envOf(restore)).toMatchObject({ NODE: node, BACKUP_NAME: 'first', STORE_KIND: 'volume', STORE_DIR: '/var/hyperledger/backups/prod' });
      expect(restore.volumeMounts).toContainEqual({ name: 'ledger', mountPath: '/var/hyperledger/production' });
      expect(restore.volumeMounts).toContainEqual({ name: 'backup-store', mountPath: '/var/hyperledger/backups', readOnly: true });
      expect(others.map((container: any) => container.name)).toEqual(node.includes('peer') ? ['core-config'] : []);
      expect(pod.volumes).toContainEqual({ name: 'backup-store', persistentVolumeClaim: { claimName: 'fabric-backups' } });
    }
    expect(ofKind(objects, 'Role').map((role) => role.metadata.name)).not.toContain('hyperkube-backup');
    expect(objects.filter((object) => object.metadata.name.endsWith('-backup'))).toEqual([]);
  });

  test('GIVEN the same app WHEN synthesized twice THEN the backup objects are byte-identical', () => {
    expect(JSON.stringify(backedUp({ backupName: 'first', schedule: '@daily' }))).toBe(JSON.stringify(backedUp({ backupName: 'first', schedule: '@daily' })));
  });
});

describe('NetworkBackup validation', () => {
  function chartWithNetwork() {
    return synthTestNetwork().chart;
  }

  test.each([
    [{ target: undefined }, 'NetworkBackup backup: target is required but missing'],
    [{ target: { claimName: 'x' } }, 'NetworkBackup backup: target must be a BackupTarget, got an object. Pass BackupTarget.s3('],
    [{ backupName: 'First_Backup' }, 'NetworkBackup backup: backupName "First_Backup" is not a backup name. Use 1 to 40 lowercase letters'],
    [{ restoreFrom: 7 }, 'NetworkBackup backup: restoreFrom must be a string, got number 7'],
    [{ schedule: 'every night' }, 'NetworkBackup backup: schedule "every night" is not a cron schedule. Give five fields'],
    [{}, 'NetworkBackup backup: it would do nothing. Give backupName'],
    [{ backupName: 'first', schedul: '@daily' }, 'NetworkBackup backup'],
  ])('GIVEN props %j WHEN the NetworkBackup is created THEN it throws naming the construct, the value and the fix', (props, message) => {
    const target = BackupTarget.persistentVolumeClaim({ claimName: 'backups' });
    expect(() => new NetworkBackup(chartWithNetwork(), 'backup', { target, ...props } as unknown as NetworkBackupProps)).toThrow(message);
  });

  test.each([
    [{ ...S3, endpoint: 'minio:9000' }, 'BackupTarget.s3: endpoint "minio:9000" is not the URL of an S3 API'],
    [{ ...S3, endpoint: 'https://s3.example.com/fabric-backups' }, 'without a path or credentials'],
    [{ ...S3, bucket: 'Fabric_Backups' }, 'BackupTarget.s3: bucket "Fabric_Backups" is not valid: use 3 to 63 lowercase letters'],
    [{ ...S3, credentialsSecret: 'Backup S3' }, 'BackupTarget.s3: credentialsSecret "Backup S3" is not valid'],
    [{ ...S3, prefix: '/fabric' }, 'BackupTarget.s3: prefix "/fabric" is not valid'],
    [{ ...S3, region: 'EU West' }, 'BackupTarget.s3: region "EU West" is not valid'],
    [{ endpoint: S3.endpoint, bucket: S3.bucket }, 'BackupTarget.s3: credentialsSecret is required but missing'],
  ])('GIVEN S3 options %j WHEN the target is made THEN it throws naming the option and the fix', (options, message) => {
    expect(() => BackupTarget.s3(options as any)).toThrow(message);
  });

  test('GIVEN bad volume options WHEN the target is made THEN it throws naming the option and the fix', () => {
    expect(() => BackupTarget.persistentVolumeClaim({ claimName: 'Backups!' })).toThrow('BackupTarget.persistentVolumeClaim: claimName "Backups!" is not valid');
    expect(() => BackupTarget.persistentVolumeClaim({ claimName: 'backups', subPath: '../etc' })).toThrow('BackupTarget.persistentVolumeClaim: subPath "../etc" is not valid');
  });

  test('GIVEN a channel with one consenter WHEN a backup is asked for THEN it throws: stopping the consenter would stop ordering', () => {
    const oneConsenter = () => {
      const chart = testChart();
      const orderer = new Orderer(chart, 'orderer', { mspId: 'OrdererMSP', consenters: 1 });
      const org1 = new PeerOrg(chart, 'org1', { mspId: 'Org1MSP' });
      new Channel(chart, 'mychannel', { orderers: [orderer], members: [org1] });
      return chart;
    };
    expect(() => new NetworkBackup(oneConsenter(), 'backup', { target: BackupTarget.s3(S3), backupName: 'first' }))
      .toThrow('NetworkBackup backup: channel mychannel has 1 consenter(s) (orderer-node0); a backup stops one consenter at a time, which leaves no Raft majority, so the channel would stop ordering. Give its Orderer at least 3 consenters (consenters: 3).');
    expect(() => new NetworkBackup(oneConsenter(), 'restore', { target: BackupTarget.s3(S3), restoreFrom: 'first' })).not.toThrow();
  });

  test('GIVEN a NetworkBackup created before a node WHEN synthesized THEN validation names the node it would miss', () => {
    const chart = testChart();
    new Orderer(chart, 'orderer', { mspId: 'OrdererMSP', consenters: 3 });
    new NetworkBackup(chart, 'backup', { target: BackupTarget.s3(S3), backupName: 'first' });
    new PeerOrg(chart, 'org1', { mspId: 'Org1MSP' });
    expect(() => Testing.synth(chart)).toThrow('NetworkBackup backup: net/org1/peer0 was created after it, so it would neither back up nor restore node org1-peer0. Create the NetworkBackup after every Orderer, PeerOrg and Channel of the chart.');
  });

  test('GIVEN a chart without nodes, or with a NetworkBackup already WHEN one is created THEN it throws with the fix', () => {
    expect(() => new NetworkBackup(testChart(), 'backup', { target: BackupTarget.s3(S3), backupName: 'first' })).toThrow('has no peer or orderer yet. Create the NetworkBackup after every Orderer and PeerOrg of the chart.');
    const chart = chartWithNetwork();
    new NetworkBackup(chart, 'backup', { target: BackupTarget.s3(S3), backupName: 'first' });
    expect(() => new NetworkBackup(chart, 'again', { target: BackupTarget.s3(S3), schedule: '@daily' })).toThrow('A chart backs up all its nodes with one NetworkBackup; remove the second.');
  });
});
