import { Construct } from 'constructs';
import * as yaml from 'js-yaml';
import * as k8s from '../imports/k8s';
import { FabricChart } from './fabric-chart';
import { CertificateAuthorities, KeyPair, NodeRole, OrgScope } from './identity/identity-provider';
import { validateDnsLabel, validateMspId } from './naming';
import { JobVolume } from './fabric-job';
import { opaqueSecret, ProjectedFile, projectedVolume } from './workload';

/** Props every organization shares. */
export interface OrganizationProps {
  /** MSP ID of the organization, for example `Org1MSP`. */
  readonly mspId: string;
  /**
   * DNS-label name, the prefix of every object and host of the organization.
   * @default the construct id
   */
  readonly name?: string;
}

/** Keys of the organization's public MSP ConfigMap. */
export const MspKeys = {
  SIGNING_CA: 'ca.pem',
  TLS_CA: 'tlsca.pem',
  CONFIG: 'config.yaml',
} as const;

/** Keys of every identity Secret. */
export const IdentityKeys = {
  CERT: 'cert.pem',
  KEY: 'key.pem',
  TLS_CERT: 'tls.crt',
  TLS_KEY: 'tls.key',
} as const;

/** Where an MSP folder's files sit, relative to the folder. */
const MspLayout = {
  SIGNING_CA: 'cacerts/ca.pem',
  TLS_CA: 'tlscacerts/tlsca.pem',
  CONFIG: 'config.yaml',
  SIGN_CERT: 'signcerts/cert.pem',
  KEY: 'keystore/key.pem',
} as const;

/**
 * What peer and ordering organizations share: an MSP (public, in a ConfigMap), an admin identity
 * (in a Secret, used by the Jobs) and the identity Secrets of their nodes.
 */
export abstract class Organization extends Construct implements OrgScope {
  public readonly mspId: string;
  public readonly name: string;
  /** The public CA certificates of the organization. */
  public readonly certificateAuthorities: CertificateAuthorities;
  /** Name of the ConfigMap holding the organization's public MSP (CA, TLS CA, NodeOU config). */
  public readonly mspConfigMapName: string;
  /** Name of the Secret holding the organization's admin identity and its TLS client pair. */
  public readonly adminSecretName: string;
  protected readonly chart: FabricChart;

  protected constructor(scope: Construct, id: string, props: OrganizationProps, kind: string) {
    super(scope, id);
    const owner = `${kind} ${id}`;
    this.name = props.name ?? id;
    validateDnsLabel(owner, 'name', this.name, 40);
    validateMspId(owner, props.mspId);
    this.mspId = props.mspId;
    this.chart = FabricChart.of(this);
    this.chart.reserve('MSP ID', this.mspId, this, 'Every organization needs its own MSP ID.');
    this.chart.reserve('organization name', this.name, this, 'Give each organization a distinct name.');
    this.certificateAuthorities = this.chart.identities.certificateAuthorities(this);
    this.mspConfigMapName = `${this.name}-msp`;
    this.adminSecretName = `${this.name}-admin`;
    new k8s.KubeConfigMap(this, 'msp', {
      metadata: { name: this.mspConfigMapName },
      data: {
        [MspKeys.SIGNING_CA]: this.certificateAuthorities.signingCaPem,
        [MspKeys.TLS_CA]: this.certificateAuthorities.tlsCaPem,
        [MspKeys.CONFIG]: nodeOuConfig(),
      },
    });
    const admin = this.chart.identities.signingIdentity(this, `${this.name}-admin`, NodeRole.ADMIN);
    const adminTls = this.chart.identities.tlsIdentity(this, `${this.name}-admin`, [`${this.name}-admin`]);
    this.addIdentitySecret('admin-identity', this.adminSecretName, admin, adminTls);
  }

  /** A volume holding the organization's public MSP folder, as configtxgen and policies read it. */
  public publicMspVolume(volumeName: string): k8s.Volume {
    return projectedVolume(volumeName, this.publicMspFiles());
  }

  /** A volume holding a complete local MSP for the identity in Secret `secretName`. */
  public localMspVolume(volumeName: string, secretName: string): k8s.Volume {
    return projectedVolume(volumeName, [
      ...this.publicMspFiles(),
      { source: 'secret', name: secretName, key: IdentityKeys.CERT, path: MspLayout.SIGN_CERT },
      { source: 'secret', name: secretName, key: IdentityKeys.KEY, path: MspLayout.KEY },
    ]);
  }

  /** A volume with the TLS pair from Secret `secretName` as `tls.crt`/`tls.key`, and this org's TLS CA as `ca.crt`. */
  public tlsVolume(volumeName: string, secretName: string): k8s.Volume {
    return projectedVolume(volumeName, [
      { source: 'secret', name: secretName, key: IdentityKeys.TLS_CERT, path: 'tls.crt' },
      { source: 'secret', name: secretName, key: IdentityKeys.TLS_KEY, path: 'tls.key' },
      { source: 'configMap', name: this.mspConfigMapName, key: MspKeys.TLS_CA, path: 'ca.crt' },
    ]);
  }

  /** Mounts and env for a Job acting as this organization's admin through the peer CLI. */
  public adminAccess(): { env: Record<string, string>; volumes: JobVolume[] } {
    const mspDir = `${JOB_ADMIN_DIR}/msp`;
    return {
      env: {
        CORE_PEER_LOCALMSPID: this.mspId,
        CORE_PEER_MSPCONFIGPATH: mspDir,
        CORE_PEER_TLS_ENABLED: 'true',
        CORE_PEER_TLS_ROOTCERT_FILE: `${mspDir}/${MspLayout.TLS_CA}`,
      },
      volumes: [{ volume: this.localMspVolume('admin-msp', this.adminSecretName), mountPath: mspDir }],
    };
  }

  /** Mounts this organization's public MSP at `publicMspDir(this)` in a Job. */
  public publicMspAccess(): JobVolume {
    return { volume: this.publicMspVolume(`msp-${this.name}`), mountPath: publicMspDir(this) };
  }

  /** Creates a Secret with a signing identity and, when given, a TLS pair. */
  protected addIdentitySecret(id: string, secretName: string, signing: KeyPair, tls?: KeyPair): void {
    const entries: Record<string, string> = {
      [IdentityKeys.CERT]: signing.certificatePem,
      [IdentityKeys.KEY]: signing.privateKeyPem,
    };
    if (tls) {
      entries[IdentityKeys.TLS_CERT] = tls.certificatePem;
      entries[IdentityKeys.TLS_KEY] = tls.privateKeyPem;
    }
    opaqueSecret(this, id, secretName, entries);
  }

  private publicMspFiles(): ProjectedFile[] {
    return [
      { source: 'configMap', name: this.mspConfigMapName, key: MspKeys.SIGNING_CA, path: MspLayout.SIGNING_CA },
      { source: 'configMap', name: this.mspConfigMapName, key: MspKeys.TLS_CA, path: MspLayout.TLS_CA },
      { source: 'configMap', name: this.mspConfigMapName, key: MspKeys.CONFIG, path: MspLayout.CONFIG },
    ];
  }
}

/** Where Jobs find the acting admin's local MSP. */
const JOB_ADMIN_DIR = '/var/hyperledger/admin';

/** Where Jobs find an organization's public MSP. */
export function publicMspDir(org: OrgScope): string {
  return `/var/hyperledger/orgs/${org.name}/msp`;
}

/** Where Jobs find an organization's TLS CA certificate. */
export function tlsCaFile(org: OrgScope): string {
  return `${publicMspDir(org)}/${MspLayout.TLS_CA}`;
}

/** NodeOU classification: the OU of a certificate issued by the org CA decides its role. */
function nodeOuConfig(): string {
  const identifier = (role: NodeRole) => ({ Certificate: MspLayout.SIGNING_CA, OrganizationalUnitIdentifier: role });
  return yaml.dump({
    NodeOUs: {
      Enable: true,
      ClientOUIdentifier: identifier(NodeRole.CLIENT),
      PeerOUIdentifier: identifier(NodeRole.PEER),
      AdminOUIdentifier: identifier(NodeRole.ADMIN),
      OrdererOUIdentifier: identifier(NodeRole.ORDERER),
    },
  });
}
