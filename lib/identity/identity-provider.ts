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

/** The public roots of an organization: one CA for signing identities and one for TLS. */
export interface CertificateAuthorities {
  readonly signingCaPem: string;
  readonly tlsCaPem: string;
}

/**
 * Where identity material comes from. Constructs ask only this interface, so keys generated at
 * synth time, enrolled from a Fabric CA or imported from a folder all look the same to them.
 */
export interface IIdentityProvider {
  /** The public CA certificates of `org`. */
  certificateAuthorities(org: OrgScope): CertificateAuthorities;
  /** A signing identity of `org` named `enrollmentId`, with `role` in its organizational unit. */
  signingIdentity(org: OrgScope, enrollmentId: string, role: NodeRole): KeyPair;
  /** A TLS pair of `org` for server and client use, valid for every name in `hosts`. */
  tlsIdentity(org: OrgScope, name: string, hosts: string[]): KeyPair;
  /**
   * A secret that is not a key, for example a database password, for `purpose`: derived from the
   * same secret as the keys, so a chart has one secret to keep, and stable across synths.
   */
  secret(purpose: string): string;
  /**
   * Whether the material comes from a public development seed, from which anyone can derive the
   * keys, because the app named no seed. Synth then warns on stderr (once per process).
   * @default false
   */
  readonly usesDefaultDevelopmentSeed?: boolean;
}
