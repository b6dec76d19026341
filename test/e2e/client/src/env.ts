import * as fs from 'node:fs';
import { clientIdentity, OrgClient } from './dist';
import { usageError } from './errors';

/** The variables fabric-samples' gateway applications read, which Hyperkube's Application sets. */
const GATEWAY_VARIABLES = ['MSP_ID', 'PEER_ENDPOINT', 'PEER_HOST_ALIAS', 'CERT_PATH', 'KEY_PATH', 'TLS_CERT_PATH'] as const;

/**
 * The org client from the environment, as an in-cluster application gets it: MSP_ID, the gateway
 * peer (PEER_ENDPOINT, PEER_HOST_ALIAS, the name its TLS certificate carries) and the paths of the
 * user's certificate and key and of the TLS CA.
 */
export function loadOrgClientFromEnv(env: NodeJS.ProcessEnv): OrgClient {
  const missing = GATEWAY_VARIABLES.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw usageError(`without --dist the client reads its organization from ${GATEWAY_VARIABLES.join(', ')}; ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set`);
  }
  const endpoint = env.PEER_ENDPOINT!;
  const match = /^([^/:]+|\[[^\]]+\]):(\d+)$/.exec(endpoint);
  if (!match) {
    throw usageError(`PEER_ENDPOINT must be host:port, got ${endpoint}`);
  }
  const host = match[1].toLowerCase();
  const tlsCaPem = readFile('TLS_CERT_PATH', env.TLS_CERT_PATH!);
  const identity = clientIdentity(readFile('CERT_PATH', env.CERT_PATH!), readFile('KEY_PATH', env.KEY_PATH!),
    `CERT_PATH ${env.CERT_PATH}`, `KEY_PATH ${env.KEY_PATH}`);
  const mspId = env.MSP_ID!;
  return {
    label: `${mspId} from the environment as ${identity.subject}`,
    mspId,
    peer: { name: host, url: `${host}:${match[2]}`, host, port: Number(match[2]), tlsServerName: env.PEER_HOST_ALIAS!, tlsCaPem },
    certPem: identity.certPem,
    key: identity.key,
  };
}

function readFile(variable: string, path: string): Buffer {
  try {
    return fs.readFileSync(path);
  } catch (e) {
    throw usageError(`${variable} ${path} cannot be read: ${(e as Error).message}`);
  }
}
