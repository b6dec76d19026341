import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { usageError } from './errors';

/** A Kubernetes object as far as this client cares. */
export interface K8sObject {
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly data?: Record<string, string>;
  readonly stringData?: Record<string, string>;
}

export interface PeerEndpoint {
  readonly name: string;
  /** host:port from the profile's grpcs:// URL */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** the name the peer's TLS certificate must carry */
  readonly tlsServerName: string;
  readonly tlsCaPem: Buffer;
}

export interface OrgClient {
  readonly label: string;
  readonly mspId: string;
  readonly peer: PeerEndpoint;
  readonly certPem: Buffer;
  readonly key: crypto.KeyObject;
}

/** Every object in every *.yaml / *.yml under dir (recursively), in file-name order. */
export function loadObjects(dir: string): K8sObject[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw usageError(`dist directory ${dir} does not exist; run cdk8s synth or pass --dist`);
  }
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) {
        walk(p);
      } else if (/\.ya?ml$/.test(entry.name)) {
        files.push(p);
      }
    }
  };
  walk(dir);
  if (files.length === 0) {
    throw usageError(`no *.yaml files in ${dir}`);
  }
  const objects: K8sObject[] = [];
  for (const file of files) {
    try {
      yaml.loadAll(fs.readFileSync(file, 'utf8'), (doc) => {
        if (doc && typeof doc === 'object') {
          objects.push(doc as K8sObject);
        }
      });
    } catch (e) {
      throw usageError(`cannot parse ${file}: ${(e as Error).message}`);
    }
  }
  return objects;
}

export function findObject(objects: readonly K8sObject[], kind: string, name: string, namespace?: string): K8sObject {
  const hits = objects.filter(
    (o) => o.kind === kind && o.metadata?.name === name && (namespace === undefined || o.metadata?.namespace === namespace),
  );
  if (hits.length === 0) {
    throw usageError(`no ${kind} named ${name}${namespace ? ` in namespace ${namespace}` : ''} in the dist directory`);
  }
  if (hits.length > 1) {
    throw usageError(`${hits.length} objects of kind ${kind} named ${name}; pass --namespace to choose one`);
  }
  return hits[0];
}

/** A data key of a ConfigMap (plain) or Secret (base64 in data, plain in stringData). */
export function dataValue(obj: K8sObject, key: string): Buffer {
  const where = `${obj.kind} ${obj.metadata?.name}`;
  if (obj.kind === 'Secret') {
    if (obj.stringData && typeof obj.stringData[key] === 'string') {
      return Buffer.from(obj.stringData[key], 'utf8');
    }
    if (obj.data && typeof obj.data[key] === 'string') {
      return Buffer.from(obj.data[key], 'base64');
    }
  } else if (obj.data && typeof obj.data[key] === 'string') {
    return Buffer.from(obj.data[key], 'utf8');
  }
  throw usageError(`${where} has no data key ${key}`);
}

interface Profile {
  client?: { organization?: string };
  organizations?: Record<string, { mspid?: string; peers?: string[] }>;
  peers?: Record<string, {
    url?: string;
    tlsCACerts?: { pem?: string | string[]; path?: string };
    grpcOptions?: Record<string, unknown>;
  }>;
}

/** Resolve the client's org, MSP ID and first peer from a Fabric common connection profile. */
export function parseProfile(text: string, where: string): { org: string; mspId: string; peer: PeerEndpoint } {
  let profile: Profile;
  try {
    profile = JSON.parse(text) as Profile;
  } catch (e) {
    throw usageError(`${where}: not valid JSON: ${(e as Error).message}`);
  }
  const org = profile.client?.organization;
  if (!org) {
    throw usageError(`${where}: client.organization is missing`);
  }
  const orgEntry = profile.organizations?.[org];
  if (!orgEntry?.mspid) {
    throw usageError(`${where}: organizations.${org}.mspid is missing`);
  }
  const peerName = orgEntry.peers?.[0];
  if (!peerName) {
    throw usageError(`${where}: organizations.${org}.peers lists no peer`);
  }
  const peer = profile.peers?.[peerName];
  if (!peer?.url) {
    throw usageError(`${where}: peers.${peerName}.url is missing`);
  }
  const m = /^grpcs:\/\/([^/:]+|\[[^\]]+\]):(\d+)\/?$/.exec(peer.url);
  if (!m) {
    throw usageError(`${where}: peers.${peerName}.url must look like grpcs://host:port, got ${peer.url}`);
  }
  const host = m[1].toLowerCase();
  const port = Number(m[2]);
  let tlsCaPem: Buffer;
  const pem = peer.tlsCACerts?.pem;
  if (pem) {
    tlsCaPem = Buffer.from(Array.isArray(pem) ? pem.join('\n') : pem, 'utf8');
  } else if (peer.tlsCACerts?.path) {
    tlsCaPem = fs.readFileSync(peer.tlsCACerts.path);
  } else {
    throw usageError(`${where}: peers.${peerName}.tlsCACerts.pem is missing`);
  }
  if (!tlsCaPem.toString('utf8').includes('-----BEGIN CERTIFICATE-----')) {
    throw usageError(`${where}: peers.${peerName}.tlsCACerts.pem holds no PEM certificate`);
  }
  const override = peer.grpcOptions?.['ssl-target-name-override'];
  const tlsServerName = typeof override === 'string' && override.length > 0 ? override : host;
  return {
    org,
    mspId: orgEntry.mspid,
    peer: { name: peerName, url: `${host}:${port}`, host, port, tlsServerName, tlsCaPem },
  };
}

/** Load one org's profile ConfigMap and user Secret: `<prefix>-connection-profile`, `<prefix>-user1`. */
export function loadOrgClient(objects: readonly K8sObject[], prefix: string, namespace?: string): OrgClient {
  const cmName = `${prefix}-connection-profile`;
  const profileObj = findObject(objects, 'ConfigMap', cmName, namespace);
  const { org, mspId, peer } = parseProfile(dataValue(profileObj, 'connection.json').toString('utf8'), `ConfigMap ${cmName}`);

  const secretName = `${prefix}-user1`;
  const secret = findObject(objects, 'Secret', secretName, namespace);
  const identity = clientIdentity(dataValue(secret, 'cert.pem'), dataValue(secret, 'key.pem'), `Secret ${secretName} cert.pem`, `Secret ${secretName} key.pem`);
  return { label: `${org} (${mspId}) as ${identity.subject}`, mspId, peer, certPem: identity.certPem, key: identity.key };
}

/**
 * A signing identity from PEM files: an X.509 certificate and the ECDSA P-256 key that belongs to
 * it. `certWhere` and `keyWhere` name where each came from, for the error messages.
 */
export function clientIdentity(certPem: Buffer, keyPem: Buffer, certWhere: string, keyWhere: string): { certPem: Buffer; key: crypto.KeyObject; subject: string } {
  let cert: crypto.X509Certificate;
  let key: crypto.KeyObject;
  try {
    cert = new crypto.X509Certificate(certPem);
  } catch (e) {
    throw usageError(`${certWhere} is not an X.509 certificate: ${(e as Error).message}`);
  }
  try {
    key = crypto.createPrivateKey(keyPem);
  } catch (e) {
    throw usageError(`${keyWhere} is not a private key: ${(e as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw usageError(`${keyWhere} must be an ECDSA P-256 key, got ${key.asymmetricKeyType} ${key.asymmetricKeyDetails?.namedCurve ?? ''}`);
  }
  if (!cert.checkPrivateKey(key)) {
    throw usageError(`${keyWhere} does not belong to ${certWhere}`);
  }
  return { certPem, key, subject: cert.subject.replace(/\n/g, ',') };
}
