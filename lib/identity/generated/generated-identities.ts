import { createHmac } from 'node:crypto';
import { Construct } from 'constructs';
import { describeValue, optionalRecord } from '../../core/props';
import { opaqueSecret } from '../../core/workload';
import {
  CertificateAuthorities, IdentityKeys, IdentityRequest, IIdentityProvider, KeyPair, NodeRole, OrganizationIdentity, OrgScope,
  PasswordRequest, ProvidedIdentity,
} from '../identity-provider';
import { CertificateValidity, DeterministicKey, IssuedCertificate, issueCertificate } from './x509';

/**
 * The seed used when none is given. It is public, so identities made from it are for development
 * and tests only: anyone can derive the same keys.
 */
export const DEVELOPMENT_SEED = 'hyperkube-development-seed-not-for-production';

/** Props for `GeneratedIdentities`. */
export interface GeneratedIdentitiesProps {
  /**
   * Secret from which every key and password of the network is derived. Keep it out of version
   * control for anything but development: whoever holds it holds every private key of the network.
   * Read it from a Secret-backed source (an environment variable, a file) and fail when it is unset.
   * Pass `GeneratedIdentities.DEVELOPMENT_SEED` to use the public seed on purpose (tests) without a warning.
   * @default DEVELOPMENT_SEED, with a warning on stderr at synth
   */
  readonly seed?: string;
  /**
   * Start of every certificate's validity (fixed so that synth output never depends on the clock).
   * @default 2025-01-01T00:00:00Z
   */
  readonly notBefore?: Date;
  /**
   * End of every certificate's validity.
   * @default 2035-01-01T00:00:00Z
   */
  readonly notAfter?: Date;
}

interface OrgAuthorities {
  readonly signing: IssuedCertificate;
  readonly tls: IssuedCertificate;
}

/**
 * Identities generated at synth time, deterministically from a seed: per organization a signing CA
 * and a TLS CA (ECDSA P-256), and leaf certificates issued by them. The cryptogen of Hyperkube.
 */
export class GeneratedIdentities implements IIdentityProvider {
  /** The public development seed used when none is given: keys made from it are for development only. */
  public static readonly DEVELOPMENT_SEED = DEVELOPMENT_SEED;

  /**
   * Whether the keys come from the public development seed because no seed was given. Synth then
   * warns; naming `GeneratedIdentities.DEVELOPMENT_SEED` as the seed says the app means it (tests).
   */
  public readonly usesDefaultDevelopmentSeed: boolean;
  private readonly seed: string;
  private readonly validity: CertificateValidity;
  private readonly authorities = new Map<string, OrgAuthorities>();

  public constructor(props: GeneratedIdentitiesProps = {}) {
    const given = (optionalRecord('GeneratedIdentities', 'props', props) ?? {}) as GeneratedIdentitiesProps;
    if (given.seed !== undefined && typeof given.seed !== 'string') {
      throw new Error(`GeneratedIdentities: seed must be a string, got ${describeValue(given.seed)}. Read it from a secret source, for example process.env.NETWORK_SEED.`);
    }
    this.seed = given.seed ?? DEVELOPMENT_SEED;
    this.usesDefaultDevelopmentSeed = given.seed === undefined;
    if (this.seed.length < 16) {
      throw new Error(`GeneratedIdentities: the seed is ${this.seed.length} characters long; use at least 16 so keys cannot be guessed.`);
    }
    this.validity = {
      notBefore: checkDate('notBefore', given.notBefore ?? new Date('2025-01-01T00:00:00Z')),
      notAfter: checkDate('notAfter', given.notAfter ?? new Date('2035-01-01T00:00:00Z')),
    };
    if (!(this.validity.notBefore < this.validity.notAfter)) {
      throw new Error('GeneratedIdentities: notBefore must be earlier than notAfter.');
    }
  }

  public organization(org: OrganizationIdentity): CertificateAuthorities {
    return this.certificateAuthorities(org);
  }

  public identity(scope: Construct, request: IdentityRequest): ProvidedIdentity {
    const signing = request.role ? this.signingIdentity(request.org, request.name, request.role) : undefined;
    const tls = request.tlsHosts ? this.tlsIdentity(request.org, request.name, request.tlsHosts) : undefined;
    opaqueSecret(scope, `secret-${request.secretName}`, request.secretName, {
      ...(signing ? { [IdentityKeys.CERT]: signing.certificatePem, [IdentityKeys.KEY]: signing.privateKeyPem } : {}),
      ...(tls ? { [IdentityKeys.TLS_CERT]: tls.certificatePem, [IdentityKeys.TLS_KEY]: tls.privateKeyPem } : {}),
    }, request.labels);
    return { tlsCertificatePem: tls?.certificatePem };
  }

  public password(scope: Construct, request: PasswordRequest): void {
    opaqueSecret(scope, `secret-${request.secretName}`, request.secretName, { username: request.username, password: this.secret(request.purpose) }, request.labels);
  }

  /** A secret that is not a key, for example a database password, for `purpose`: stable across synths. */
  public secret(purpose: string): string {
    return createHmac('sha256', this.seed).update(`hyperkube/secret/${purpose}`).digest('base64url').slice(0, 32);
  }

  public certificateAuthorities(org: OrgScope): CertificateAuthorities {
    const authorities = this.authoritiesOf(org);
    return { signingCaPem: authorities.signing.pem, tlsCaPem: authorities.tls.pem };
  }

  public signingIdentity(org: OrgScope, enrollmentId: string, role: NodeRole): KeyPair {
    const certificate = issueCertificate({
      subject: { commonName: enrollmentId, organization: org.mspId, organizationalUnit: role },
      key: this.key(org, `sign/${enrollmentId}`),
      validity: this.validity,
      isCa: false,
    }, this.authoritiesOf(org).signing);
    return pairOf(certificate);
  }

  public tlsIdentity(org: OrgScope, name: string, hosts: string[]): KeyPair {
    if (hosts.length === 0) {
      throw new Error(`GeneratedIdentities: the TLS identity ${name} of ${org.mspId} needs at least one host name.`);
    }
    const certificate = issueCertificate({
      subject: { commonName: name, organization: org.mspId },
      key: this.key(org, `tls/${name}`),
      validity: this.validity,
      isCa: false,
      hosts,
    }, this.authoritiesOf(org).tls);
    return pairOf(certificate);
  }

  private authoritiesOf(org: OrgScope): OrgAuthorities {
    let authorities = this.authorities.get(org.mspId);
    if (!authorities) {
      authorities = {
        signing: this.selfSigned(org, 'ca'),
        tls: this.selfSigned(org, 'tlsca'),
      };
      this.authorities.set(org.mspId, authorities);
    }
    return authorities;
  }

  private selfSigned(org: OrgScope, purpose: string): IssuedCertificate {
    return issueCertificate({
      subject: { commonName: `${purpose}.${org.name}`, organization: org.mspId },
      key: this.key(org, purpose),
      validity: this.validity,
      isCa: true,
    });
  }

  private key(org: OrgScope, purpose: string): DeterministicKey {
    return DeterministicKey.derive(this.seed, `${org.mspId}/${purpose}`);
  }
}

function pairOf(certificate: IssuedCertificate): KeyPair {
  return { certificatePem: certificate.pem, privateKeyPem: certificate.key.privateKeyPem };
}

function checkDate(prop: string, value: unknown): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new Error(`GeneratedIdentities: ${prop} must be a valid Date, got ${describeValue(value)}. Write it like new Date('2025-01-01T00:00:00Z').`);
  }
  return value;
}
