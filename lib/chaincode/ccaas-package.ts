import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Header } from 'tar';

const BLOCK = 512;
/** A fixed timestamp for every archive entry, so that the package bytes (and ID) never change. */
const EPOCH = new Date('2000-01-01T00:00:00Z');

/** Where the peer's CCaaS builder tells the peer to dial the chaincode server. */
export interface CcaasConnection {
  /** `host:port` of the chaincode server. */
  readonly address: string;
  /** @default '10s' */
  readonly dialTimeout?: string;
  /** PEM of the CA that issued the server's TLS certificate; omit for a plain-text server. */
  readonly tlsRootCertPem?: string;
}

/** A chaincode-as-a-service package, built byte-for-byte the same on every synth. */
export class CcaasPackage {
  /** Builds the CCaaS package labelled `label` that points the peer at `connection`. */
  public static build(label: string, connection: CcaasConnection): CcaasPackage {
    const connectionJson = JSON.stringify({
      address: connection.address,
      dial_timeout: connection.dialTimeout ?? '10s',
      tls_required: connection.tlsRootCertPem !== undefined,
      client_auth_required: false,
      ...(connection.tlsRootCertPem ? { root_cert: connection.tlsRootCertPem } : {}),
    }, undefined, 2);
    const code = gzipSync(tarArchive([['connection.json', Buffer.from(connectionJson)]]));
    const metadata = JSON.stringify({ type: 'ccaas', label });
    const bytes = gzipSync(tarArchive([['metadata.json', Buffer.from(metadata)], ['code.tar.gz', code]]));
    return new CcaasPackage(label, bytes.toString('base64'), `${label}:${createHash('sha256').update(bytes).digest('hex')}`, connectionJson);
  }

  private constructor(
    public readonly label: string,
    /** The tar.gz the peer installs (`metadata.json` and `code.tar.gz`), base64-encoded. */
    public readonly base64: string,
    /** `label:sha256(bytes)`, the ID the peer reports after install. */
    public readonly packageId: string,
    /** The `connection.json` inside `code.tar.gz`. */
    public readonly connectionJson: string,
  ) {}
}

/** A ustar archive of regular files, owned by root, with fixed times and modes. */
function tarArchive(files: Array<[string, Buffer]>): Buffer {
  const parts: Buffer[] = [];
  for (const [path, content] of files) {
    const header = new Header({ path, mode: 0o644, size: content.length, mtime: EPOCH, type: 'File', uid: 0, gid: 0, uname: 'root', gname: 'root' });
    header.encode();
    parts.push(header.block as Buffer, content, Buffer.alloc((BLOCK - (content.length % BLOCK)) % BLOCK));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}
