import { createHash, createHmac, createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { p256 } from '@noble/curves/nist';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  GeneralName,
  KeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  Name,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  id_kp_clientAuth,
  id_kp_serverAuth,
} from '@peculiar/asn1-x509';

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const OID_COMMON_NAME = '2.5.4.3';
const OID_ORGANIZATION = '2.5.4.10';
const OID_ORGANIZATIONAL_UNIT = '2.5.4.11';

/** An ECDSA P-256 key pair derived from a seed; the same seed and label always give the same key. */
export class DeterministicKey {
  /** Derives the key for `label` from `seed` (HMAC-SHA256, reduced into the curve order). */
  public static derive(seed: string, label: string): DeterministicKey {
    const digest = createHmac('sha256', seed).update(`hyperkube/key/${label}`).digest();
    const scalar = (BigInt('0x' + digest.toString('hex')) % (p256.CURVE.n - 1n)) + 1n;
    return new DeterministicKey(Buffer.from(scalar.toString(16).padStart(64, '0'), 'hex'));
  }

  private readonly privateKey: KeyObject;
  /** DER SubjectPublicKeyInfo of the public key. */
  public readonly publicKeyDer: Buffer;

  private constructor(private readonly scalar: Buffer) {
    const point = Buffer.from(p256.getPublicKey(scalar, false));
    const jwk = {
      kty: 'EC',
      crv: 'P-256',
      d: scalar.toString('base64url'),
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33, 65).toString('base64url'),
    };
    this.privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
    this.publicKeyDer = createPublicKey(this.privateKey).export({ type: 'spki', format: 'der' });
  }

  /** PKCS#8 PEM, the format Fabric's file key store reads. */
  public get privateKeyPem(): string {
    return this.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  }

  /** Subject key identifier: SHA-256 of the uncompressed public point, as Fabric's tools compute it. */
  public get keyIdentifier(): Buffer {
    const spki = AsnConvert.parse(this.publicKeyDer, SubjectPublicKeyInfo);
    return createHash('sha256').update(Buffer.from(spki.subjectPublicKey)).digest();
  }

  /** RFC 6979 (deterministic) low-S ECDSA signature over SHA-256 of `data`, DER encoded. */
  public sign(data: Buffer): Buffer {
    const hash = createHash('sha256').update(data).digest();
    return Buffer.from(p256.sign(hash, this.scalar, { lowS: true, prehash: false }).toDERRawBytes());
  }
}

/** The subject of a certificate: Fabric reads the organizational unit to decide a node's role. */
export interface SubjectName {
  readonly commonName: string;
  readonly organization: string;
  readonly organizationalUnit?: string;
}

/** What to put in one certificate. */
export interface CertificateRequest {
  readonly subject: SubjectName;
  readonly key: DeterministicKey;
  readonly validity: CertificateValidity;
  /** true for a certificate authority. */
  readonly isCa: boolean;
  /** DNS names and IP addresses; a non-empty list marks a TLS certificate (server and client use). */
  readonly hosts?: string[];
}

/** Fixed validity window: certificates never depend on the clock at synth time. */
export interface CertificateValidity {
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** A certificate and the key that signs with it. */
export interface IssuedCertificate {
  readonly pem: string;
  readonly der: Buffer;
  readonly key: DeterministicKey;
  readonly subject: SubjectName;
}

/** Issues a certificate: self-signed when `issuer` is omitted. */
export function issueCertificate(request: CertificateRequest, issuer?: IssuedCertificate): IssuedCertificate {
  const signer = issuer ?? { key: request.key, subject: request.subject };
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: serialNumberFor(request),
    signature: new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 }),
    issuer: distinguishedName(signer.subject),
    validity: new Validity({ notBefore: request.validity.notBefore, notAfter: request.validity.notAfter }),
    subject: distinguishedName(request.subject),
    subjectPublicKeyInfo: AsnConvert.parse(request.key.publicKeyDer, SubjectPublicKeyInfo),
    extensions: new Extensions(extensionsFor(request, signer.key)),
  });
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const certificate = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 }),
    signatureValue: new Uint8Array(signer.key.sign(tbsDer)).buffer,
  });
  const der = Buffer.from(AsnConvert.serialize(certificate));
  return { der, pem: toPem('CERTIFICATE', der), key: request.key, subject: request.subject };
}

function serialNumberFor(request: CertificateRequest): ArrayBuffer {
  const digest = createHash('sha256').update(JSON.stringify(request.subject)).update(request.key.publicKeyDer).digest();
  const serial = Buffer.from(digest.subarray(0, 16));
  serial[0] = (serial[0] & 0x7f) | 0x40; // positive, and no leading zero byte to strip
  return new Uint8Array(serial).buffer;
}

function distinguishedName(subject: SubjectName): Name {
  const attribute = (type: string, value: string) =>
    new RelativeDistinguishedName([new AttributeTypeAndValue({ type, value: new AttributeValue({ utf8String: value }) })]);
  const parts = [attribute(OID_ORGANIZATION, subject.organization)];
  if (subject.organizationalUnit) {
    parts.push(attribute(OID_ORGANIZATIONAL_UNIT, subject.organizationalUnit));
  }
  parts.push(attribute(OID_COMMON_NAME, subject.commonName));
  return new Name(parts);
}

function extensionsFor(request: CertificateRequest, issuerKey: DeterministicKey): Extension[] {
  const extension = (extnID: string, critical: boolean, value: unknown) =>
    new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
  const usage = request.isCa
    ? KeyUsageFlags.digitalSignature | KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign
    : KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment;
  const extensions = [
    extension(id_ce_keyUsage, true, new KeyUsage(usage)),
    extension(id_ce_basicConstraints, true, new BasicConstraints({ cA: request.isCa })),
    extension(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(request.key.keyIdentifier)),
  ];
  if (!request.isCa) {
    extensions.push(extension(id_ce_authorityKeyIdentifier, false,
      new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(issuerKey.keyIdentifier) })));
  }
  if (request.hosts && request.hosts.length > 0) {
    extensions.push(extension(id_ce_extKeyUsage, false, new ExtendedKeyUsage([id_kp_serverAuth, id_kp_clientAuth])));
    extensions.push(extension(id_ce_subjectAltName, false, new SubjectAlternativeName(request.hosts.map(generalName))));
  }
  return extensions;
}

function generalName(host: string): GeneralName {
  return isIP(host) ? new GeneralName({ iPAddress: host }) : new GeneralName({ dNSName: host });
}

function toPem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
