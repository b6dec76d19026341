import { X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { NodeRole } from '../identity-provider';

/** Files of one identity in a crypto folder: paths only, the keys are never read. */
export interface IdentityFiles {
  readonly signingCertificate?: string;
  readonly signingKey?: string;
  readonly tlsCertificate?: string;
  readonly tlsKey?: string;
  /** Whether the TLS pair is cryptogen's client pair (`tls/client.crt`), which names no host. */
  readonly tlsIsClientPair: boolean;
}

/**
 * An organization's folder, as cryptogen writes it (`msp/`, `peers/`, `orderers/`, `users/`) and as
 * fabric-samples' Fabric CA scripts lay out what `fabric-ca-client` enrolls. Reads public
 * certificates to check them at synth time; of private keys it reads only their file names.
 */
export class CryptoOrgFolder {
  private readonly cas = new Map<string, ParsedCertificate>();

  public constructor(private readonly owner: string, public readonly path: string) {
    if (!isDirectory(path)) {
      throw new Error(`${owner}: the organization folder ${path} does not exist. Give its path in \`organizations\`, relative to \`directory\`.`);
    }
  }

  /** The cryptogen domain: the folder's name, for example `org1.example.com`. */
  public get domain(): string {
    return basename(this.path);
  }

  /** The one certificate in `msp/cacerts` (signing CA) or `msp/tlscacerts` (TLS CA), read once. */
  public ca(kind: 'cacerts' | 'tlscacerts'): ParsedCertificate {
    let ca = this.cas.get(kind);
    if (!ca) {
      ca = readCertificate(this.owner, this.onlyFile(join(this.path, 'msp', kind), 'a CA certificate (PEM)'));
      this.cas.set(kind, ca);
    }
    return ca;
  }

  /** Where the identity `shortName` (`peer0`, `admin`, `user1`) is in cryptogen's layout, if anywhere. */
  public defaultIdentityFolder(shortName: string): string | undefined {
    const capitalized = shortName.charAt(0).toUpperCase() + shortName.slice(1);
    return [`peers/${shortName}.${this.domain}`, `orderers/${shortName}.${this.domain}`, `users/${capitalized}@${this.domain}`, `users/${shortName}@${this.domain}`]
      .find((candidate) => isDirectory(join(this.path, candidate)));
  }

  /** The files of the identity in `folder` (relative to the organization), checked to exist. */
  public identityFiles(folder: string, needs: { signing: boolean; tls: boolean }): IdentityFiles {
    const root = join(this.path, folder);
    if (!isDirectory(root)) {
      throw new Error(`${this.owner}: the identity folder ${root} does not exist.`);
    }
    const signing = needs.signing
      ? { signingCertificate: this.onlyFile(join(root, 'msp', 'signcerts'), 'a signing certificate'), signingKey: this.onlyFile(join(root, 'msp', 'keystore'), 'a private key') }
      : {};
    return { ...signing, ...(needs.tls ? this.tlsFiles(root) : { tlsIsClientPair: false }) };
  }

  private tlsFiles(root: string): Pick<IdentityFiles, 'tlsCertificate' | 'tlsKey' | 'tlsIsClientPair'> {
    const tls = join(root, 'tls');
    for (const side of ['server', 'client']) {
      if (existsSync(join(tls, `${side}.crt`)) && existsSync(join(tls, `${side}.key`))) {
        return { tlsCertificate: join(tls, `${side}.crt`), tlsKey: join(tls, `${side}.key`), tlsIsClientPair: side === 'client' };
      }
    }
    if (isDirectory(join(tls, 'signcerts'))) {
      return { tlsCertificate: this.onlyFile(join(tls, 'signcerts'), 'a TLS certificate'), tlsKey: this.onlyFile(join(tls, 'keystore'), 'a TLS private key'), tlsIsClientPair: false };
    }
    throw new Error(`${this.owner}: ${tls} holds no TLS pair: expected server.crt and server.key (cryptogen), client.crt and client.key, or signcerts/ and keystore/ (fabric-ca-client).`);
  }

  private onlyFile(folder: string, what: string): string {
    const files = isDirectory(folder) ? readdirSync(folder).filter((name) => statSync(join(folder, name)).isFile()) : [];
    if (files.length !== 1) {
      throw new Error(`${this.owner}: ${folder} must hold exactly one file, ${what}; it holds ${files.length === 0 ? 'none' : files.sort().join(', ')}.`);
    }
    return join(folder, files[0]);
  }
}

/** A PEM certificate file, read and parsed. */
export interface ParsedCertificate {
  readonly path: string;
  readonly pem: string;
  readonly certificate: X509Certificate;
}

/** The PEM certificate at `path`, parsed. */
export function readCertificate(owner: string, path: string): ParsedCertificate {
  const pem = readFileSync(path, 'utf8');
  try {
    return { path, pem, certificate: new X509Certificate(pem) };
  } catch (error) {
    throw new Error(`${owner}: ${path} is not a PEM certificate (${(error as Error).message}).`);
  }
}

/** Checks that `issuer` signed `leaf`, which the channel and the peers will check too. */
export function checkIssuedBy(owner: string, leaf: ParsedCertificate, issuer: ParsedCertificate): void {
  if (!leaf.certificate.checkIssued(issuer.certificate) || !leaf.certificate.verify(issuer.certificate.publicKey)) {
    throw new Error(`${owner}: ${leaf.path} (${leaf.certificate.subject.replace(/\n/g, ', ')}) was not issued by the CA in ${issuer.path}; import the folder of that organization, as cryptogen or the CA made it.`);
  }
}

/**
 * Checks that a signing certificate carries its NodeOU role: the MSPs Hyperkube writes classify
 * identities by organizational unit, which cryptogen adds only with `EnableNodeOUs: true`.
 */
export function checkRole(owner: string, path: string, certificate: X509Certificate, role: NodeRole): void {
  const units = certificate.subject.split('\n').filter((line) => line.startsWith('OU=')).map((line) => line.slice(3));
  if (!units.includes(role)) {
    throw new Error(`${owner}: ${path} has no organizational unit ${role} (it has ${units.join(', ') || 'none'}); generate the folder with \`EnableNodeOUs: true\` in crypto-config.yaml (or enroll with the ${role} type).`);
  }
}

/** Checks that a server TLS certificate names every host its clients dial. */
export function checkHosts(owner: string, path: string, certificate: X509Certificate, hosts: string[]): void {
  const names = (certificate.subjectAltName ?? '').split(', ').map((entry) => entry.replace(/^(DNS|IP Address):/, ''));
  const missing = hosts.filter((host) => !names.includes(host));
  if (missing.length > 0) {
    throw new Error(`${owner}: the TLS certificate ${path} does not name ${missing.join(', ')}, which clients dial; add them to the SANS of that node in crypto-config.yaml (or to --csr.hosts) and generate it again.`);
  }
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}
