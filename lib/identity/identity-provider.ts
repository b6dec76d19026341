import { Construct } from 'constructs';

/** The role Fabric reads from a certificate's organizational unit when NodeOUs are on. */
export enum NodeRole {
  PEER = 'peer',
  ORDERER = 'orderer',
  ADMIN = 'admin',
  CLIENT = 'client',
}

/** The organization an identity belongs to. */
export interface OrgScope {
  /** MSP ID, for example `Org1MSP`. */
  readonly mspId: string;
  /** DNS-label name of the organization, for example `org1`. */
  readonly name: string;
}

/** A certificate and its private key, both PEM. */
export interface KeyPair {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/** Keys of every identity Secret (`<org>-admin`, `<org>-<user>`, `<node>-identity`), in every mode. */
export class IdentityKeys {
  public static readonly CERT = 'cert.pem';
  public static readonly KEY = 'key.pem';
  public static readonly TLS_CERT = 'tls.crt';
  public static readonly TLS_KEY = 'tls.key';

  private constructor() {}
}

/** The public roots of an organization: one CA for signing identities and one for TLS. */
export interface CertificateAuthorities {
  readonly signingCaPem: string;
  readonly tlsCaPem: string;
}

/**
 * An organization as an identity provider sees it: where its public MSP goes and, for a peer
 * organization, its connection profile, which hold its CA certificates.
 */
export interface OrganizationIdentity extends OrgScope {
  /** ConfigMap of the public MSP (`MspKeys`). */
  readonly mspConfigMapName: string;
  /** NodeOU classification, the MSP's `config.yaml`. */
  readonly nodeOuConfig: string;
  /**
   * For a peer organization, read when the chart is written: the connection profile's ConfigMap,
   * and the profile without TLS CA certificates, which the provider adds where it knows them.
   */
  connectionProfileTemplate?(): { readonly configMapName: string; readonly profile: unknown };
}

/** An identity a construct needs in the cluster, in Secret `secretName` (keys `IdentityKeys`). */
export interface IdentityRequest {
  /** The organization that issues it. */
  readonly org: OrgScope;
  /** The Secret it lands in. */
  readonly secretName: string;
  /** Enrollment ID, also the certificates' common name. */
  readonly name: string;
  /** Role of its signing identity. @default no signing identity: the Secret holds a TLS pair only */
  readonly role?: NodeRole;
  /** Host names of its TLS pair. @default no TLS pair */
  readonly tlsHosts?: string[];
  /** Labels of the Secret. */
  readonly labels: Record<string, string>;
  /**
   * The workload (`kind/name`, for example `statefulset/org1-peer0`) that reads the Secret and
   * must restart to load a renewed certificate. @default none (a Job reads it at each run)
   */
  readonly restarts?: string;
}

/** What a provider knows at synth time about an identity it provides. */
export interface ProvidedIdentity {
  /** Its TLS certificate, when known at synth time. @default unknown until run time */
  readonly tlsCertificatePem?: string;
}

/** A Secret holding a generated password under keys `username` and `password`. */
export interface PasswordRequest {
  readonly secretName: string;
  readonly username: string;
  /** Names what the password is for; the same purpose gives the same password. */
  readonly purpose: string;
  readonly labels: Record<string, string>;
}

/**
 * Where identity material comes from. Constructs ask only this interface, so keys generated at
 * synth time, enrolled from a Fabric CA in the cluster or imported from a folder all reach the
 * pods the same way: in Secrets of the same names, with the same keys.
 */
export interface IIdentityProvider {
  /**
   * The public CA certificates of `org`, when known at synth time: the organization then writes
   * its MSP ConfigMap and connection profile itself. `undefined` when they exist only in the
   * cluster: the provider then writes both there, under the same names.
   */
  organization(org: OrganizationIdentity): CertificateAuthorities | undefined;
  /** Makes `request` exist in the cluster as its Secret, written into the chart or made there. */
  identity(scope: Construct, request: IdentityRequest): ProvidedIdentity;
  /** Makes a Secret with a password for `request.purpose` exist in the cluster. */
  password(scope: Construct, request: PasswordRequest): void;
  /**
   * Whether the material comes from a public development seed, from which anyone can derive the
   * keys, because the app named no seed. Synth then warns on stderr (once per process).
   * @default false
   */
  readonly usesDefaultDevelopmentSeed?: boolean;
}
