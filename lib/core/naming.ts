/**
 * Every name and address the constructs use comes from here, so that Services, TLS SANs, gossip
 * endpoints, consenter hosts and connection profiles can never disagree.
 */

/** Ports every Fabric node listens on, the same in Services, env, SANs and profiles. */
export class Ports {
  public static readonly PEER = 7051;
  public static readonly PEER_CHAINCODE = 7052;
  public static readonly ORDERER = 7050;
  public static readonly ORDERER_ADMIN = 7053;
  public static readonly OPERATIONS = 9443;
  public static readonly COUCHDB = 5984;
  public static readonly CHAINCODE_SERVER = 9999;

  private constructor() {}
}

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const MSP_ID = /^[A-Za-z][A-Za-z0-9._-]*$/;
const CHANNEL_NAME = /^[a-z][a-z0-9.-]*$/;
const CHAINCODE_NAME = /^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$/;

/** Throws unless `value` is an RFC 1123 DNS label (what Kubernetes names and our host names need). */
export function validateDnsLabel(owner: string, what: string, value: string, maxLength = 63): void {
  if (value.length === 0 || value.length > maxLength || !DNS_LABEL.test(value)) {
    throw new Error(`${owner}: ${what} "${value}" is not a valid DNS label. Use 1-${maxLength} lowercase letters, digits and '-', starting with a letter and ending with a letter or digit (for example "org1").`);
  }
}

/** Throws unless `value` is an MSP ID Fabric accepts in policies and config. */
export function validateMspId(owner: string, value: string): void {
  if (!MSP_ID.test(value)) {
    throw new Error(`${owner}: mspId "${value}" is not valid. Use letters, digits, '.', '_' or '-', starting with a letter (for example "Org1MSP").`);
  }
}

/** Throws unless `value` is a channel name Fabric accepts. */
export function validateChannelName(owner: string, value: string): void {
  if (value.length > 249 || !CHANNEL_NAME.test(value)) {
    throw new Error(`${owner}: channel name "${value}" is not valid. Fabric channel names are lowercase letters, digits, '.' and '-', start with a letter, at most 249 characters (for example "mychannel").`);
  }
}

/** Throws unless `value` is a chaincode name Fabric accepts. */
export function validateChaincodeName(owner: string, value: string): void {
  if (!CHAINCODE_NAME.test(value)) {
    throw new Error(`${owner}: chaincode name "${value}" is not valid. Use letters and digits, optionally joined by single '-' or '_' (for example "basic").`);
  }
}

/** Throws unless `value` is a whole number of at least `min`. */
export function validateCount(owner: string, what: string, value: number, min = 1): void {
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${owner}: ${what} must be a whole number of at least ${min}, got ${value}.`);
  }
}

/** The Service (and host) name of peer `index` of `org`, for example `org1-peer0`. */
export function peerName(org: string, index: number): string {
  return `${org}-peer${index}`;
}

/** The Service (and host) name of consenter `index` of ordering org `org`, for example `orderer-node0`. */
export function ordererNodeName(org: string, index: number): string {
  return `${org}-node${index}`;
}

/** The Service name of the chaincode server that `org` runs for chaincode `chaincode`. */
export function chaincodeServerName(chaincode: string, channel: string, org: string): string {
  return `cc-${chaincode}-${channel}-${org}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 63).replace(/-+$/, '');
}

/** Fully qualified in-cluster DNS name of a Service. */
export function serviceFqdn(service: string, namespace: string, clusterDomain: string): string {
  return `${service}.${namespace}.svc.${clusterDomain}`;
}

/** Every name a client may dial a Service by: short, namespaced and fully qualified. */
export function serviceHosts(service: string, namespace: string, clusterDomain: string): string[] {
  return [service, `${service}.${namespace}`, `${service}.${namespace}.svc`, serviceFqdn(service, namespace, clusterDomain)];
}

/** Throws unless `image` names a fixed version (a tag other than latest, or a digest). */
export function pinnedImage(owner: string, what: string, image: string): string {
  const lastSegment = image.split('/').pop() ?? '';
  const tag = lastSegment.includes(':') ? lastSegment.split(':').pop() : undefined;
  if (!image.includes('@sha256:') && (!tag || tag === 'latest')) {
    throw new Error(`${owner}: the ${what} image "${image}" is not pinned. Give an explicit version tag or digest (for example "${image.split(':')[0]}:1.0.0"), never "latest" or no tag.`);
  }
  return image;
}
