import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { V1ConfigMap, V1Secret } from '@kubernetes/client-node';
import { GATEWAY_LAYOUT, gatewayEnvironment } from '../application/gateway-layout';
import { Cluster } from './cluster';

/** What `exportIdentity` wrote, relative to the output folder. */
export interface ExportedFiles {
  readonly mspId: string;
  readonly files: string[];
}

/**
 * Writes what a Fabric Gateway application of organization `org` needs to act as `user`, read
 * from the cluster: the connection profile, the user's MSP folder (its certificate and key, the
 * org's CAs and NodeOU config, as the peer CLI and the SDKs read it), the TLS CA on its own, and
 * `gateway.env` with the settings fabric-samples' gateway applications take from the environment.
 */
export async function exportIdentity(cluster: Cluster, namespace: string, org: string, user: string, outDir: string): Promise<ExportedFiles> {
  const profileMap = await required(cluster.readConfigMap(namespace, `${org}-connection-profile`), `ConfigMap ${org}-connection-profile`, namespace, org);
  const msp = await required(cluster.readConfigMap(namespace, `${org}-msp`), `ConfigMap ${org}-msp`, namespace, org);
  const secret = await required(cluster.readSecret(namespace, `${org}-${user}`), `Secret ${org}-${user}`, namespace, org,
    ` (is ${user} one of the users of PeerOrg ${org}?)`);
  const profileText = entry(profileMap, 'connection.json');
  const profile = JSON.parse(profileText) as GatewayProfile;
  const mspId = profile.organizations[profile.client.organization]?.mspid ?? profile.client.organization;
  const files: Record<string, string> = {
    [GATEWAY_LAYOUT.PROFILE]: profileText,
    [GATEWAY_LAYOUT.TLS_CA]: entry(msp, 'tlsca.pem'),
    [GATEWAY_LAYOUT.SIGNING_CA]: entry(msp, 'ca.pem'),
    [GATEWAY_LAYOUT.TLS_CA_IN_MSP]: entry(msp, 'tlsca.pem'),
    [GATEWAY_LAYOUT.NODE_OUS]: entry(msp, 'config.yaml'),
    [GATEWAY_LAYOUT.CERT]: secretEntry(secret, 'cert.pem'),
    [GATEWAY_LAYOUT.KEY]: secretEntry(secret, 'key.pem'),
    [GATEWAY_LAYOUT.ENV]: gatewayEnv(profile, mspId),
  };
  for (const [file, content] of Object.entries(files)) {
    const path = join(outDir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  // The key is the user's alone.
  chmodSync(join(outDir, GATEWAY_LAYOUT.KEY), 0o600);
  return { mspId, files: Object.keys(files) };
}

/** The parts of a connection profile the export reads. */
interface GatewayProfile {
  readonly client: { readonly organization: string };
  readonly organizations: Record<string, { readonly mspid: string; readonly peers: string[] }>;
  readonly peers: Record<string, { readonly url: string; readonly grpcOptions?: Record<string, string> }>;
}

/** fabric-samples' variable names: MSP_ID, PEER_ENDPOINT, PEER_HOST_ALIAS and the three paths. */
function gatewayEnv(profile: GatewayProfile, mspId: string): string {
  const peerName = profile.organizations[profile.client.organization]?.peers[0];
  const peer = peerName ? profile.peers[peerName] : undefined;
  const endpoint = peer?.url.replace(/^grpcs?:\/\//, '') ?? '';
  const alias = peer?.grpcOptions?.['ssl-target-name-override'] ?? endpoint.replace(/:\d+$/, '');
  const env = gatewayEnvironment({ mspId, peerEndpoint: endpoint, peerHostAlias: alias }, '');
  return Object.entries(env).map(([name, value]) => `${name}=${value}\n`).join('');
}

async function required<T>(read: Promise<T | undefined>, what: string, namespace: string, org: string, hint = ''): Promise<T> {
  const value = await read;
  if (value === undefined) {
    throw new Error(`${what} is not in namespace ${namespace}${hint}; is ${org} a peer organization of the network there (-n names the namespace), and is it up (hyperkube wait)?`);
  }
  return value;
}

function entry(configMap: V1ConfigMap, key: string): string {
  const value = configMap.data?.[key];
  if (value === undefined) {
    throw new Error(`ConfigMap ${configMap.metadata?.name} has no ${key}`);
  }
  return value;
}

function secretEntry(secret: V1Secret, key: string): string {
  const value = secret.data?.[key];
  if (value === undefined) {
    throw new Error(`Secret ${secret.metadata?.name} has no ${key}: it holds no signing identity`);
  }
  return Buffer.from(value, 'base64').toString('utf8');
}
