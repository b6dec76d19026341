/**
 * Every name and address the constructs use comes from here, so that Services, TLS SANs, gossip
 * endpoints, consenter hosts and connection profiles can never disagree.
 */
import { createHash } from 'node:crypto';
import { optionalString, requireInteger, requireString } from './props';

/** Ports every Fabric node listens on, the same in Services, env, SANs and profiles. */
export class Ports {
  public static readonly PEER = 7051;
  public static readonly PEER_CHAINCODE = 7052;
  public static readonly ORDERER = 7050;
  public static readonly ORDERER_ADMIN = 7053;
  public static readonly OPERATIONS = 9443;
  public static readonly COUCHDB = 5984;
  public static readonly CHAINCODE_SERVER = 9999;
  public static readonly CA = 7054;

  private constructor() {}
}

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Fabric's config group keys (an organization's group is named by its MSP ID): common/configtx. */
const MSP_ID = /^[A-Za-z0-9.-]+$/;
const CHANNEL_NAME = /^[a-z][a-z0-9.-]*$/;
const CHAINCODE_NAME = /^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$/;
/** Fabric's system chaincodes: a user chaincode may not take their names. */
const SYSTEM_CHAINCODES = ['cscc', 'escc', 'lscc', 'qscc', 'vscc'];
/** Kubernetes env var names (the 1.27 rule, which every later version accepts too). */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Throws unless `value` is an RFC 1123 DNS label (what Kubernetes names and our host names need). */
export function validateDnsLabel(owner: string, what: string, value: unknown, maxLength = 63): string {
  const text = requireString(owner, what, value, 'org1');
  if (text.length === 0 || text.length > maxLength || !DNS_LABEL.test(text)) {
    throw new Error(`${owner}: ${what} "${text}" is not a valid DNS label. Use 1-${maxLength} lowercase letters, digits and '-', starting with a letter and ending with a letter or digit (for example "org1").`);
  }
  return text;
}

/** Throws unless `value` is a StorageClass name: an RFC 1123 subdomain, or '' (volumes of no class). */
export function validateStorageClassName(owner: string, value: unknown): string | undefined {
  const text = optionalString(owner, 'storageClassName', value, 'fast-ssd');
  if (text === undefined || text === '') {
    return text;
  }
  if (text.length > 253 || !DNS_SUBDOMAIN.test(text)) {
    throw new Error(`${owner}: storageClassName "${text}" is not a StorageClass name. Use at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit (for example "fast-ssd"), or leave it out for the cluster's default class.`);
  }
  return text;
}

/**
 * Throws unless `value` is an MSP ID Fabric accepts: it names the organization's group in channel
 * configs, whose keys are letters, digits, '.' and '-', at most 249, not "." or "..".
 */
export function validateMspId(owner: string, value: unknown): string {
  const text = requireString(owner, 'mspId', value, 'Org1MSP');
  if (text.length === 0 || text.length > 249 || !MSP_ID.test(text) || text === '.' || text === '..') {
    throw new Error(`${owner}: mspId "${text}" is not valid. Fabric names the organization's channel config group after it: use 1-249 letters, digits, '.' or '-' (no '_' or spaces), other than "." and ".." (for example "Org1MSP").`);
  }
  return text;
}

/** Throws unless `value` is a channel name Fabric accepts. */
export function validateChannelName(owner: string, value: unknown): string {
  const text = requireString(owner, 'name', value, 'mychannel');
  if (text.length > 249 || !CHANNEL_NAME.test(text)) {
    throw new Error(`${owner}: channel name "${text}" is not valid. Fabric channel names are lowercase letters, digits, '.' and '-', start with a letter, at most 249 characters (for example "mychannel").`);
  }
  return text;
}

/** Throws unless `value` is a chaincode name Fabric accepts. */
export function validateChaincodeName(owner: string, value: unknown): string {
  const text = requireString(owner, 'name', value, 'basic');
  if (!CHAINCODE_NAME.test(text)) {
    throw new Error(`${owner}: chaincode name "${text}" is not valid. Use letters and digits, optionally joined by single '-' or '_' (for example "basic").`);
  }
  if (SYSTEM_CHAINCODES.includes(text)) {
    throw new Error(`${owner}: chaincode name "${text}" is the name of a Fabric system chaincode (${SYSTEM_CHAINCODES.join(', ')}). Choose another name.`);
  }
  return text;
}

/** Throws unless `value` is a Kubernetes env var name. */
export function validateEnvName(owner: string, what: string, value: string): string {
  if (!ENV_NAME.test(value) || value === '.' || value.startsWith('..')) {
    throw new Error(`${owner}: ${what} "${value}" is not a Kubernetes env var name. Use letters, digits, '_', '-' and '.', not starting with a digit or '..' (for example "LOG_LEVEL").`);
  }
  return value;
}

/** Throws unless `value` is a whole number of at least `min` (and at most `max`). */
export function validateCount(owner: string, what: string, value: unknown, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  return requireInteger(owner, what, value, min, max);
}

/** The first `length` hex digits of the SHA-256 of `text`. */
export function shortHash(text: string, length = 8): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/**
 * `name` made into a DNS label of at most `maxLength`: lowercase, anything but letters, digits and
 * '-' turned into '-'. When that changes `name` (case, characters) or it is too long, a short hash
 * of the original is appended (after truncation), so that two names that differ never meet in one
 * derived name. A name that needs no change is kept as it is.
 */
export function kubernetesName(name: string, maxLength = 63): string {
  const safe = name.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  if (safe === name && safe.length <= maxLength && DNS_LABEL.test(safe)) {
    return safe;
  }
  const hash = shortHash(name);
  const head = safe.slice(0, maxLength - hash.length - 1).replace(/^[^a-z]+/, '').replace(/-+$/, '');
  return head ? `${head}-${hash}` : `x${hash}`;
}

/** The Service (and host) name of peer `index` of `org`, for example `org1-peer0`. */
export function peerName(org: string, index: number): string {
  return `${org}-peer${index}`;
}

/** The Service (and host) name of consenter `index` of ordering org `org`, for example `orderer-node0`. */
export function ordererNodeName(org: string, index: number): string {
  return `${org}-node${index}`;
}

/**
 * The Service (and Deployment) name of the chaincode server that `org` runs for chaincode
 * `chaincode` on channel `channel` (the channel's Kubernetes name) at `revision`, for example
 * `cc-basic-mychannel-org1-3f9a1c`. The revision names what the server runs, so an upgrade gets a
 * new server beside the old one. Where the chaincode name is not a DNS label already (upper case,
 * '_') or the whole is longer than 63, the first three parts become a short hash of them, so that
 * distinct chaincodes never share a name.
 */
export function chaincodeServerName(chaincode: string, channel: string, org: string, revision: string): string {
  const natural = `cc-${chaincode}-${channel}-${org}-${revision}`;
  if (natural.length <= 63 && DNS_LABEL.test(natural)) {
    return natural;
  }
  const hash = shortHash(`${chaincode}\u0000${channel}\u0000${org}`);
  const tail = `-${hash}-${revision}`;
  const head = `cc-${chaincode}-${channel}-${org}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 63 - tail.length).replace(/-+$/, '');
  return `${head}${tail}`;
}

/** Fully qualified in-cluster DNS name of a Service. */
export function serviceFqdn(service: string, namespace: string, clusterDomain: string): string {
  return `${service}.${namespace}.svc.${clusterDomain}`;
}

/**
 * The host name outside clients dial node `node` of organization `org` by, under `domain`: the
 * node's own name (`peer0`, `node0`, `node0-admin`, `ca`), then the organization, then the domain,
 * for example `peer0.org1.example.com`. An ingress routes it by SNI to the node's Service.
 */
export function externalHostName(node: string, org: string, domain: string): string {
  return `${node}.${org}.${domain}`;
}

/** Every name a client may dial a Service by: short, namespaced and fully qualified. */
export function serviceHosts(service: string, namespace: string, clusterDomain: string): string[] {
  return [service, `${service}.${namespace}`, `${service}.${namespace}.svc`, serviceFqdn(service, namespace, clusterDomain)];
}

const IMAGE_PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE_PATH = new RegExp(`^${IMAGE_PATH_COMPONENT}(?:/${IMAGE_PATH_COMPONENT})*$`);
const IMAGE_DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const IMAGE_DOMAIN = new RegExp(`^(?:${IMAGE_DOMAIN_COMPONENT}(?:\\.${IMAGE_DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const IMAGE_TAG = /^[\w][\w.-]{0,127}$/;
/** The digest algorithms container runtimes verify, with their hex lengths. */
const IMAGE_DIGESTS: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** The parts of an image reference. */
export interface ImageReference {
  /** Registry host and port, when the reference names one. */
  readonly domain?: string;
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
}

/**
 * Parses an image reference the way container runtimes do (the distribution reference grammar):
 * `[host[:port]/]path[:tag][@algorithm:hex]`. The first component is a registry host when it has
 * a '.' or ':' or is `localhost`; the path is lowercase. Returns undefined if it is not one.
 */
export function parseImageReference(image: string): ImageReference | undefined {
  const at = image.indexOf('@');
  const named = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  if (digest !== undefined) {
    const [algorithm, hex, ...rest] = digest.split(':');
    const length = IMAGE_DIGESTS[algorithm];
    if (rest.length > 0 || length === undefined || hex === undefined || !new RegExp(`^[a-f0-9]{${length}}$`).test(hex)) {
      return undefined;
    }
  }
  const slash = named.indexOf('/');
  const first = slash >= 0 ? named.slice(0, slash) : '';
  const isDomain = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const remainder = isDomain ? named.slice(slash + 1) : named;
  const colon = remainder.lastIndexOf(':');
  const path = colon >= 0 ? remainder.slice(0, colon) : remainder;
  const tag = colon >= 0 ? remainder.slice(colon + 1) : undefined;
  if ((isDomain && !IMAGE_DOMAIN.test(first)) || !IMAGE_PATH.test(path) || (tag !== undefined && !IMAGE_TAG.test(tag))) {
    return undefined;
  }
  if ((isDomain ? first.length + 1 : 0) + path.length > 255) {
    return undefined;
  }
  return { domain: isDomain ? first : undefined, path, tag, digest };
}

/**
 * Throws unless `image` is an image reference pinned to a version: a tag other than `latest`, or
 * a digest. `what` names the prop, for example `images.peer` or `image`.
 */
export function pinnedImage(owner: string, what: string, image: unknown): string {
  const text = requireString(owner, what, image, 'registry.example.com/team/app:1.0.0');
  const reference = parseImageReference(text);
  if (!reference) {
    throw new Error(`${owner}: ${what} "${text}" is not an image reference. Write [registry[:port]/]path[:tag][@sha256:digest], the path in lowercase (for example "registry.example.com:5000/team/app:1.0.0").`);
  }
  if (!reference.digest && (!reference.tag || reference.tag === 'latest')) {
    const base = `${reference.domain ? `${reference.domain}/` : ''}${reference.path}`;
    throw new Error(`${owner}: ${what} "${text}" is not pinned. Give an explicit version tag or digest (for example "${base}:1.0.0"), never "latest" or no tag.`);
  }
  return text;
}
