import * as k8s from '../../imports/k8s';
import { checkProps, describeValue, optionalString, rejectUnknownProps, requireString } from '../core/props';
import type { JobVolume } from '../internal/fabric-job';

/** Options of `BackupTarget.s3`. */
export interface S3BackupTargetOptions {
  /**
   * URL of the S3 API, reached from inside the cluster, for example
   * 'https://s3.eu-west-1.amazonaws.com' or 'http://minio.backups:9000'. Requests are path-style
   * (`<endpoint>/<bucket>/<key>`) and signed with AWS Signature Version 4.
   */
  readonly endpoint: string;
  /** The bucket; it must exist. */
  readonly bucket: string;
  /**
   * Secret in the chart's namespace holding the access key pair under the keys `accessKeyId` and
   * `secretAccessKey`. Create it yourself: the key pair never appears in the manifests.
   */
  readonly credentialsSecret: string;
  /**
   * Region the requests are signed for.
   * @default 'us-east-1' (what MinIO and most S3-compatible stores expect)
   */
  readonly region?: string;
  /**
   * Key prefix of every backup, ending in '/', for example 'fabric/prod/'.
   * @default '' (backups at the top of the bucket)
   */
  readonly prefix?: string;
}

/** Options of `BackupTarget.persistentVolumeClaim`. */
export interface VolumeBackupTargetOptions {
  /**
   * PersistentVolumeClaim in the chart's namespace that holds the backups. The backup agents, the
   * backup Job and the restoring nodes all mount it, on whatever Kubernetes node they run: on a
   * cluster of more than one node it must be ReadWriteMany.
   */
  readonly claimName: string;
  /**
   * Folder of the volume that holds the backups.
   * @default '' (the volume's top)
   */
  readonly subPath?: string;
}

/** Where the backup scripts see the store and its credentials. */
const STORE_MOUNT = '/var/hyperledger/backups';
const CREDENTIALS_MOUNT = '/var/hyperledger/backup-credentials';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** S3's rule for bucket names that path-style requests can carry. */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z0-9-]{1,32}$/;
/** A key prefix: safe characters only (it is part of a URL path and of a file path), ending in '/'. */
const PREFIX = /^(?!.*(^|\/)\.\.?\/)([A-Za-z0-9._-]+\/)*$/;
/** A relative folder that stays inside the volume: no '.' or '..' part. */
const SUB_PATH = /^(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/**
 * Where `NetworkBackup` writes backups and restores read them: an S3-compatible bucket or a
 * PersistentVolumeClaim.
 */
export class BackupTarget {
  /**
   * An S3-compatible bucket (AWS S3, MinIO, Ceph RGW, ...). The Jobs talk to it with the curl
   * of the Fabric tools image (`--aws-sigv4`), so no S3 client image is needed.
   */
  public static s3(options: S3BackupTargetOptions): BackupTarget {
    const owner = 'BackupTarget.s3';
    checkProps(owner, options, ['endpoint', 'bucket', 'credentialsSecret']);
    rejectUnknownProps(owner, options, { endpoint: true, bucket: true, credentialsSecret: true, region: true, prefix: true });
    const endpoint = checkEndpoint(owner, options.endpoint);
    const bucket = matching(owner, 'bucket', options.bucket, BUCKET, 'fabric-backups',
      '3 to 63 lowercase letters, digits, \'.\' and \'-\', starting and ending with a letter or digit');
    const secret = matching(owner, 'credentialsSecret', options.credentialsSecret, DNS_SUBDOMAIN, 'backup-s3', 'the name of a Secret (lowercase letters, digits, \'-\' and \'.\')');
    const region = optionalString(owner, 'region', options.region, 'us-east-1') ?? 'us-east-1';
    matching(owner, 'region', region, REGION, 'us-east-1', 'a region name of lowercase letters, digits and \'-\'');
    const prefix = optionalString(owner, 'prefix', options.prefix, 'fabric/') ?? '';
    matching(owner, 'prefix', prefix, PREFIX, 'fabric/prod/', 'folders of letters, digits, \'.\', \'_\' and \'-\', each ending in \'/\'');
    return new BackupTarget(
      `bucket ${bucket} at ${endpoint}${prefix ? ` under ${prefix}` : ''}`,
      { STORE_KIND: 's3', S3_ENDPOINT: endpoint, S3_BUCKET: bucket, S3_REGION: region, S3_PREFIX: prefix, S3_CREDENTIALS_DIR: CREDENTIALS_MOUNT },
      [{ volume: { name: 'backup-credentials', secret: { secretName: secret, defaultMode: 0o400 } }, mountPath: CREDENTIALS_MOUNT }],
    );
  }

  /** A PersistentVolumeClaim of the chart's namespace; see `VolumeBackupTargetOptions.claimName` for multi-node clusters. */
  public static persistentVolumeClaim(options: VolumeBackupTargetOptions): BackupTarget {
    const owner = 'BackupTarget.persistentVolumeClaim';
    checkProps(owner, options, ['claimName']);
    rejectUnknownProps(owner, options, { claimName: true, subPath: true });
    const claimName = matching(owner, 'claimName', options.claimName, DNS_SUBDOMAIN, 'fabric-backups', 'the name of a PersistentVolumeClaim (lowercase letters, digits, \'-\' and \'.\')');
    const subPath = optionalString(owner, 'subPath', options.subPath, 'fabric');
    if (subPath !== undefined) {
      matching(owner, 'subPath', subPath, SUB_PATH, 'fabric/prod', 'folders of letters, digits, \'.\', \'_\' and \'-\' joined by \'/\', without a leading or trailing \'/\' and without \'.\' or \'..\' parts');
    }
    return new BackupTarget(
      `volume ${claimName}${subPath ? `, folder ${subPath}` : ''}`,
      { STORE_KIND: 'volume', STORE_DIR: subPath ? `${STORE_MOUNT}/${subPath}` : STORE_MOUNT },
      [{ volume: { name: 'backup-store', persistentVolumeClaim: { claimName } }, mountPath: STORE_MOUNT, writable: true }],
    );
  }

  /** Whether `x` is a BackupTarget. */
  public static isBackupTarget(x: unknown): x is BackupTarget {
    return x instanceof BackupTarget;
  }

  private constructor(
    /** Where the backups go, in words. */
    public readonly description: string,
    private readonly env: Record<string, string>,
    private readonly volumes: JobVolume[],
  ) {}

  /** What the scripts read to reach the store (backup-store.sh). @internal */
  public get _env(): Record<string, string> {
    return { ...this.env };
  }

  /** The volumes the store needs, and where the scripts see them. @internal */
  public get _volumes(): JobVolume[] {
    return [...this.volumes];
  }

  /** Mounts of the store's volumes in a container. @internal */
  public get _mounts(): k8s.VolumeMount[] {
    return this.volumes.map((entry) => ({ name: entry.volume.name, mountPath: entry.mountPath, ...(entry.writable ? {} : { readOnly: true }) }));
  }
}

function matching(owner: string, prop: string, value: unknown, pattern: RegExp, example: string, rule: string): string {
  const text = requireString(owner, prop, value, example);
  if (!pattern.test(text) || text.length > 253) {
    throw new Error(`${owner}: ${prop} ${describeValue(text)} is not valid: use ${rule} (for example "${example}").`);
  }
  return text;
}

function checkEndpoint(owner: string, value: unknown): string {
  const text = requireString(owner, 'endpoint', value, 'https://s3.eu-west-1.amazonaws.com');
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.pathname.replace(/\/$/, '') !== '' || url.search || url.hash || url.username) {
    throw new Error(`${owner}: endpoint ${describeValue(text)} is not the URL of an S3 API: give scheme, host and port only, without a path or credentials (for example "https://s3.eu-west-1.amazonaws.com" or "http://minio.backups:9000"); the bucket goes in bucket.`);
  }
  return text.replace(/\/$/, '');
}
