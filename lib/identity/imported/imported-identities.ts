import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { App } from 'cdk8s';
import { Construct } from 'constructs';
import { FabricChart } from '../../core/fabric-chart';
import { describeValue, optionalRecord, rejectUnknownProps, requireString } from '../../core/props';
import {
  CertificateAuthorities, IdentityKeys, IdentityRequest, IIdentityProvider, NodeRole, OrganizationIdentity, PasswordRequest, ProvidedIdentity,
} from '../identity-provider';
import { checkHosts, checkIssuedBy, checkRole, CryptoOrgFolder, IdentityFiles, readCertificate } from './crypto-folder';
import { importScript, SecretImport } from './import-script';

/** Props for `ImportedIdentities`. */
export interface ImportedIdentitiesProps {
  /**
   * The crypto folder: what `cryptogen generate` wrote (with `peerOrganizations/` and
   * `ordererOrganizations/`), or a folder of organizations laid out the same way, as
   * fabric-samples' Fabric CA scripts leave what `fabric-ca-client` enrolled.
   */
  readonly directory: string;
  /**
   * The folder of each organization, by organization name (`org1`), relative to `directory`.
   * @default the folder under `peerOrganizations/`, `ordererOrganizations/` or `directory` itself
   * named after the organization or beginning with `<name>.` (`org1.example.com`)
   */
  readonly organizations?: { [organization: string]: string };
  /**
   * The folder of an identity, by identity name (`org1-peer0`) or Secret name, relative to its
   * organization's folder.
   * @default cryptogen's folder for the name without its organization prefix: `peers/peer0.<domain>`,
   * `orderers/node0.<domain>`, `users/Admin@<domain>`, `users/User1@<domain>`
   */
  readonly identities?: { [identity: string]: string };
}

const IMPORTED_IDENTITIES_PROPS: Record<keyof ImportedIdentitiesProps, true> = { directory: true, organizations: true, identities: true };
const OWNER = 'ImportedIdentities';

/**
 * Identities from an existing crypto folder, for networks whose keys were made before Hyperkube
 * (cryptogen, fabric-samples' test-network, a Fabric CA outside the cluster). Synth reads only the
 * public certificates, checks them (issuer, NodeOU role, TLS host names) and writes the MSPs,
 * channel configs and connection profiles from them. The private keys stay in the folder: synth
 * writes `<outdir>/<chart>.import-identities.sh`, which holds only file paths and creates the
 * Secrets from the folder with kubectl. Passwords (CouchDB) are made in the cluster by that script.
 */
export class ImportedIdentities implements IIdentityProvider {
  private readonly directory: string;
  private readonly organizationFolders: Record<string, string>;
  private readonly identityFolders: Record<string, string>;
  private readonly orgs = new Map<string, CryptoOrgFolder>();
  private readonly imports = new Map<FabricChart, SecretImport[]>();

  public constructor(props: ImportedIdentitiesProps) {
    const given = (optionalRecord(OWNER, 'props', props) ?? {}) as unknown as ImportedIdentitiesProps;
    rejectUnknownProps(OWNER, given, IMPORTED_IDENTITIES_PROPS);
    this.directory = requireString(OWNER, 'directory', given.directory, 'crypto-config');
    this.organizationFolders = stringRecord('organizations', given.organizations);
    this.identityFolders = stringRecord('identities', given.identities);
  }

  public organization(org: OrganizationIdentity): CertificateAuthorities {
    const folder = this.orgFolder(org.name);
    return { signingCaPem: folder.ca('cacerts').pem, tlsCaPem: folder.ca('tlscacerts').pem };
  }

  public identity(scope: Construct, request: IdentityRequest): ProvidedIdentity {
    const owner = `${OWNER} (${scope.node.path})`;
    const org = this.orgFolder(request.org.name);
    const files = org.identityFiles(this.identityFolder(owner, org, request), { signing: request.role !== undefined, tls: request.tlsHosts !== undefined });
    const tlsCertificatePem = this.check(owner, org, request, files);
    this.addImport(scope, {
      secretName: request.secretName,
      labels: request.labels,
      restarts: request.restarts,
      files: {
        ...(files.signingCertificate ? { [IdentityKeys.CERT]: files.signingCertificate, [IdentityKeys.KEY]: files.signingKey as string } : {}),
        ...(files.tlsCertificate ? { [IdentityKeys.TLS_CERT]: files.tlsCertificate, [IdentityKeys.TLS_KEY]: files.tlsKey as string } : {}),
      },
    });
    return { tlsCertificatePem: files.tlsIsClientPair ? undefined : tlsCertificatePem };
  }

  public password(scope: Construct, request: PasswordRequest): void {
    this.addImport(scope, { secretName: request.secretName, labels: request.labels, username: request.username });
  }

  private orgFolder(name: string): CryptoOrgFolder {
    let folder = this.orgs.get(name);
    if (!folder) {
      folder = new CryptoOrgFolder(`${OWNER} (organization ${name})`, join(this.directory, this.organizationFolders[name] ?? this.findOrgFolder(name)));
      this.orgs.set(name, folder);
    }
    return folder;
  }

  private findOrgFolder(name: string): string {
    const candidates = ['peerOrganizations', 'ordererOrganizations', '.'].flatMap((parent) => listFolders(join(this.directory, parent))
      .filter((child) => child === name || child.startsWith(`${name}.`))
      .map((child) => join(parent, child)));
    if (candidates.length !== 1) {
      const found = candidates.length === 0 ? 'none' : candidates.join(', ');
      throw new Error(`${OWNER}: cannot tell which folder of ${this.directory} holds organization ${name} (found ${found}); name it with organizations: { ${name}: 'peerOrganizations/${name}.example.com' }.`);
    }
    return candidates[0];
  }

  private identityFolder(owner: string, org: CryptoOrgFolder, request: IdentityRequest): string {
    const mapped = this.identityFolders[request.secretName] ?? this.identityFolders[request.name];
    if (mapped !== undefined) {
      return mapped;
    }
    const prefix = `${request.org.name}-`;
    const shortName = request.name.startsWith(prefix) ? request.name.slice(prefix.length) : request.name;
    const found = org.defaultIdentityFolder(shortName);
    if (!found) {
      throw new Error(`${owner}: ${org.path} has no folder for identity ${request.name} (Secret ${request.secretName}); looked for cryptogen's peers/${shortName}.${org.domain}, orderers/${shortName}.${org.domain} and users/. `
        + `Name its folder with identities: { '${request.name}': '<folder>' }${request.role === undefined ? ', or for a chaincode server, whose name changes with each revision, set tls: false on the ExternalChaincode' : ''}.`);
    }
    return found;
  }

  /**
   * What the peers and orderers will check anyway, checked at synth, where the fix is. Returns the
   * TLS certificate, when the identity has one.
   */
  private check(owner: string, org: CryptoOrgFolder, request: IdentityRequest, files: IdentityFiles): string | undefined {
    if (files.signingCertificate && request.role) {
      const signing = readCertificate(owner, files.signingCertificate);
      checkIssuedBy(owner, signing, org.ca('cacerts'));
      checkRole(owner, signing.path, signing.certificate, request.role);
    }
    if (!files.tlsCertificate) {
      return undefined;
    }
    const tls = readCertificate(owner, files.tlsCertificate);
    checkIssuedBy(owner, tls, org.ca('tlscacerts'));
    // Admins and users present their TLS pair as clients only; servers are dialled by name.
    const isServer = request.role !== NodeRole.ADMIN && request.role !== NodeRole.CLIENT;
    if (isServer && request.tlsHosts) {
      checkHosts(owner, tls.path, tls.certificate, request.tlsHosts);
    }
    return tls.pem;
  }

  private addImport(scope: Construct, secret: SecretImport): void {
    const chart = FabricChart.find(scope);
    let secrets = this.imports.get(chart);
    if (!secrets) {
      secrets = [];
      this.imports.set(chart, secrets);
      // cdk8s validates just before it writes the manifests: the script is written beside them.
      chart.node.addValidation({ validate: () => { this.writeScript(chart); return []; } });
    }
    secrets.push({ ...secret, labels: { ...chart.labels, ...secret.labels } });
  }

  private writeScript(chart: FabricChart): void {
    const outdir = resolve(App.of(chart).outdir);
    const file = join(outdir, `${chart.node.id}.import-identities.sh`);
    const secrets = (this.imports.get(chart) ?? []).map((secret) => ({
      ...secret,
      files: secret.files && Object.fromEntries(Object.entries(secret.files).map(([key, path]) => [key, relative(outdir, resolve(path))])),
    }));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, importScript(chart.node.id, chart.namespace as string, secrets), { mode: 0o755 });
  }
}

function stringRecord(prop: string, value: unknown): Record<string, string> {
  const record = optionalRecord(OWNER, prop, value) ?? {};
  for (const [key, path] of Object.entries(record)) {
    if (typeof path !== 'string' || path.length === 0) {
      throw new Error(`${OWNER}: ${prop}.${key} must be a folder path, got ${describeValue(path)}.`);
    }
  }
  return record as Record<string, string>;
}

function listFolders(path: string): string[] {
  try {
    return readdirSync(path, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch {
    return [];
  }
}
