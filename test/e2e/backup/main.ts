// The backup scenario's apps: the reference network (same ids, namespace and identities as
// apps/test-network, so applying it over the running network only adds objects) with a
// NetworkBackup into MinIO, and MinIO itself in a namespace of its own, which outlives the
// network's. BACKUP_NAME asks for a backup on apply; RESTORE_FROM restores every node from one.
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import * as k8s from '../../../imports/k8s';
import { BASIC_CHAINCODE_IMAGE, TestNetwork } from '../../../apps/test-network/network';
import { BackupTarget, GeneratedIdentities, NetworkBackup } from '../../../lib';

/** MinIO's namespace, Service and the bucket the backups go to. */
const STORE_NAMESPACE = 'backup-store';
const BUCKET = 'fabric-backups';
/** Test credentials of a throwaway MinIO; the network reads them from Secret backup-s3. */
const ACCESS_KEY = 'hyperkube-e2e';
const SECRET_KEY = 'hyperkube-e2e-secret';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`test/e2e/backup/main.ts needs ${name}`);
  }
  return value;
}

const app = new App({ outdir: required('BACKUP_OUTDIR') });

const store = new Chart(app, 'backup-store', { namespace: STORE_NAMESPACE });
ApiObject.of(new k8s.KubeNamespace(store, 'namespace', { metadata: { name: STORE_NAMESPACE } })).addJsonPatch(JsonPatch.remove('/metadata/namespace'));
const minioLabels = { 'app.kubernetes.io/name': 'minio' };
new k8s.KubeDeployment(store, 'minio', {
  metadata: { name: 'minio' },
  spec: {
    replicas: 1,
    selector: { matchLabels: minioLabels },
    template: {
      metadata: { labels: minioLabels },
      spec: {
        automountServiceAccountToken: false,
        containers: [{
          name: 'minio',
          image: required('MINIO_IMAGE'),
          args: ['server', '/data', '--address', ':9000'],
          // The image has no home folder: MinIO looks for its certificates under $HOME.
          env: [{ name: 'HOME', value: '/tmp' }, { name: 'MINIO_ROOT_USER', value: ACCESS_KEY }, { name: 'MINIO_ROOT_PASSWORD', value: SECRET_KEY }],
          ports: [{ name: 's3', containerPort: 9000 }],
          readinessProbe: { httpGet: { path: '/minio/health/ready', port: k8s.IntOrString.fromNumber(9000) }, periodSeconds: 1 },
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
        }],
        volumes: [{ name: 'data', emptyDir: {} }],
      },
    },
  },
});
new k8s.KubeService(store, 'service', {
  metadata: { name: 'minio' },
  spec: { selector: minioLabels, ports: [{ name: 's3', port: 9000, targetPort: k8s.IntOrString.fromNumber(9000) }] },
});

const network = new TestNetwork(app, 'test-network', {
  chaincodeImage: process.env.HYPERKUBE_CHAINCODE_IMAGE ?? BASIC_CHAINCODE_IMAGE,
  identities: new GeneratedIdentities({ seed: GeneratedIdentities.DEVELOPMENT_SEED }),
});
new k8s.KubeSecret(network, 'backup-s3', {
  metadata: { name: 'backup-s3' },
  data: { accessKeyId: Buffer.from(ACCESS_KEY).toString('base64'), secretAccessKey: Buffer.from(SECRET_KEY).toString('base64') },
});
new NetworkBackup(network, 'backup', {
  target: BackupTarget.s3({ endpoint: `http://minio.${STORE_NAMESPACE}.svc.cluster.local:9000`, bucket: BUCKET, credentialsSecret: 'backup-s3' }),
  backupName: process.env.BACKUP_NAME || undefined,
  restoreFrom: process.env.RESTORE_FROM || undefined,
});
app.synth();
