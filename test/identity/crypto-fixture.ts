import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GeneratedIdentities, KeyPair, NodeRole, OrgScope } from '../../lib';

/** One organization of a crypto folder in cryptogen's layout. */
export interface FixtureOrg {
  readonly scope: OrgScope;
  /** `peerOrganizations/org1.example.com` */
  readonly folder: string;
  /** Nodes: cryptogen host name (`peer0`) -> TLS host names. */
  readonly nodes: Record<string, string[]>;
  readonly nodeRole: NodeRole;
  /** User folders besides `Admin` (`User1`). */
  readonly users: string[];
}

/**
 * Writes a crypto folder laid out as `cryptogen generate` writes it, with certificates issued by
 * the seed's CAs (NodeOU roles as with `EnableNodeOUs: true`), so imported mode can be tested
 * without the cryptogen binary.
 */
export function writeCryptoFolder(orgs: FixtureOrg[], seed = 'crypto-fixture-seed-0123456789'): string {
  const root = mkdtempSync(join(tmpdir(), 'hyperkube-crypto-'));
  const issuer = new GeneratedIdentities({ seed });
  for (const org of orgs) {
    const orgRoot = join(root, org.folder);
    const domain = org.folder.split('/').pop() as string;
    const authorities = issuer.certificateAuthorities(org.scope);
    write(join(orgRoot, 'msp', 'cacerts', `ca.${domain}-cert.pem`), authorities.signingCaPem);
    write(join(orgRoot, 'msp', 'tlscacerts', `tlsca.${domain}-cert.pem`), authorities.tlsCaPem);
    for (const [host, tlsHosts] of Object.entries(org.nodes)) {
      const folder = join(orgRoot, org.nodeRole === NodeRole.PEER ? 'peers' : 'orderers', `${host}.${domain}`);
      writeIdentity(folder, issuer.signingIdentity(org.scope, `${host}.${domain}`, org.nodeRole), 'server', issuer.tlsIdentity(org.scope, `${host}.${domain}`, tlsHosts));
    }
    for (const user of ['Admin', ...org.users]) {
      const name = `${user}@${domain}`;
      const role = user === 'Admin' ? NodeRole.ADMIN : NodeRole.CLIENT;
      writeIdentity(join(orgRoot, 'users', name), issuer.signingIdentity(org.scope, name, role), 'client', issuer.tlsIdentity(org.scope, name, [name]));
    }
  }
  return root;
}

/** The crypto folder of the reference network in namespace `namespace`. */
export function referenceCryptoFolder(namespace = 'fabric'): string {
  const hosts = (service: string) => [service, `${service}.${namespace}`, `${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`, 'localhost'];
  return writeCryptoFolder([
    { scope: { mspId: 'OrdererMSP', name: 'orderer' }, folder: 'ordererOrganizations/example.com', nodeRole: NodeRole.ORDERER, users: [],
      nodes: { node0: hosts('orderer-node0'), node1: hosts('orderer-node1'), node2: hosts('orderer-node2') } },
    { scope: { mspId: 'Org1MSP', name: 'org1' }, folder: 'peerOrganizations/org1.example.com', nodeRole: NodeRole.PEER, users: ['User1'], nodes: { peer0: hosts('org1-peer0') } },
    { scope: { mspId: 'Org2MSP', name: 'org2' }, folder: 'peerOrganizations/org2.example.com', nodeRole: NodeRole.PEER, users: ['User1', 'User2'], nodes: { peer0: hosts('org2-peer0') } },
  ]);
}

function writeIdentity(folder: string, signing: KeyPair, tlsSide: 'server' | 'client', tls: KeyPair): void {
  write(join(folder, 'msp', 'signcerts', 'cert.pem'), signing.certificatePem);
  write(join(folder, 'msp', 'keystore', 'priv_sk'), signing.privateKeyPem);
  write(join(folder, 'tls', `${tlsSide}.crt`), tls.certificatePem);
  write(join(folder, 'tls', `${tlsSide}.key`), tls.privateKeyPem);
}

function write(path: string, content: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
}
