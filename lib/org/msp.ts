import { Construct } from 'constructs';
import * as yaml from 'js-yaml';
import * as k8s from '../../imports/k8s';
import { FabricChart } from '../core/fabric-chart';
import { Component, componentLabels } from '../core/labels';
import { ProjectedFile, projectedVolume } from '../core/workload';
import { IdentityKeys, IdentityRequest, NodeRole, ProvidedIdentity } from '../identity/identity-provider';
import { JobVolume } from '../internal/fabric-job';
import { IOrganization } from './organization';

export { IdentityKeys };

/** Keys of an organization's public MSP ConfigMap (`<org>-msp`). */
export class MspKeys {
  public static readonly SIGNING_CA = 'ca.pem';
  public static readonly TLS_CA = 'tlsca.pem';
  public static readonly CONFIG = 'config.yaml';
  /**
   * `CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG` of the org's peers, `{"root_cert": <TLS CA>}`, when
   * the TLS CA is known only in the cluster (written there with the MSP).
   */
  public static readonly CCAAS_BUILDER_CONFIG = 'ccaas-builder-config.json';

  private constructor() {}
}


/** The `root_cert` of a chaincode package whose peers take their TLS CA from `MspKeys.CCAAS_BUILDER_CONFIG`. */
export const CCAAS_ROOT_CERT_FROM_BUILDER_CONFIG = '{{.root_cert}}';

/** Where an MSP folder's files sit, relative to the folder. */
const MspLayout = {
  SIGNING_CA: 'cacerts/ca.pem',
  TLS_CA: 'tlscacerts/tlsca.pem',
  CONFIG: 'config.yaml',
  SIGN_CERT: 'signcerts/cert.pem',
  KEY: 'keystore/key.pem',
} as const;

/** Where Jobs find the acting admin's local MSP. */
const JOB_ADMIN_DIR = '/var/hyperledger/admin';

/** Where Jobs find an organization's public MSP. */
export function publicMspDir(org: IOrganization): string {
  return `/var/hyperledger/orgs/${org.name}/msp`;
}

/** Where Jobs find an organization's TLS CA certificate. */
export function tlsCaFile(org: IOrganization): string {
  return `${publicMspDir(org)}/${MspLayout.TLS_CA}`;
}

/** A volume holding an organization's public MSP folder, as configtxgen and policies read it. */
export function publicMspVolume(org: IOrganization, volumeName: string): k8s.Volume {
  return projectedVolume(volumeName, publicMspFiles(org));
}

/** A volume holding a complete local MSP for the identity in Secret `secretName`. */
export function localMspVolume(org: IOrganization, volumeName: string, secretName: string): k8s.Volume {
  return projectedVolume(volumeName, [
    ...publicMspFiles(org),
    { source: 'secret', name: secretName, key: IdentityKeys.CERT, path: MspLayout.SIGN_CERT },
    { source: 'secret', name: secretName, key: IdentityKeys.KEY, path: MspLayout.KEY },
  ]);
}

/** A volume with the TLS pair from Secret `secretName` as `tls.crt`/`tls.key`, and the org's TLS CA as `ca.crt`. */
export function tlsVolume(org: IOrganization, volumeName: string, secretName: string): k8s.Volume {
  return projectedVolume(volumeName, [
    { source: 'secret', name: secretName, key: IdentityKeys.TLS_CERT, path: 'tls.crt' },
    { source: 'secret', name: secretName, key: IdentityKeys.TLS_KEY, path: 'tls.key' },
    { source: 'configMap', name: org.mspConfigMapName, key: MspKeys.TLS_CA, path: 'ca.crt' },
  ]);
}

/** Env and mounts for a Job acting as `org`'s admin through the peer CLI. */
export function adminAccess(org: IOrganization): { env: Record<string, string>; volumes: JobVolume[] } {
  const mspDir = `${JOB_ADMIN_DIR}/msp`;
  return {
    env: {
      CORE_PEER_LOCALMSPID: org.mspId,
      CORE_PEER_MSPCONFIGPATH: mspDir,
      CORE_PEER_TLS_ENABLED: 'true',
      CORE_PEER_TLS_ROOTCERT_FILE: `${mspDir}/${MspLayout.TLS_CA}`,
    },
    volumes: [{ volume: localMspVolume(org, 'admin-msp', org.adminSecretName), mountPath: mspDir }],
  };
}

/** Mounts of the public MSPs of `orgs` at `publicMspDir`, once each. */
export function publicMspAccess(orgs: IOrganization[]): JobVolume[] {
  const distinct = [...new Map(orgs.map((org) => [org.name, org])).values()];
  return distinct.map((org) => ({ volume: publicMspVolume(org, `msp-${org.name}`), mountPath: publicMspDir(org) }));
}

/** The NodeOU classification: the OU of a certificate issued by the org CA decides its role. */
export function nodeOuConfig(): string {
  const identifier = (role: NodeRole) => ({ Certificate: MspLayout.SIGNING_CA, OrganizationalUnitIdentifier: role });
  return yaml.dump({
    NodeOUs: {
      Enable: true,
      ClientOUIdentifier: identifier(NodeRole.CLIENT),
      PeerOUIdentifier: identifier(NodeRole.PEER),
      AdminOUIdentifier: identifier(NodeRole.ADMIN),
      OrdererOUIdentifier: identifier(NodeRole.ORDERER),
    },
  });
}

function publicMspFiles(org: IOrganization): ProjectedFile[] {
  return [
    { source: 'configMap', name: org.mspConfigMapName, key: MspKeys.SIGNING_CA, path: MspLayout.SIGNING_CA },
    { source: 'configMap', name: org.mspConfigMapName, key: MspKeys.TLS_CA, path: MspLayout.TLS_CA },
    { source: 'configMap', name: org.mspConfigMapName, key: MspKeys.CONFIG, path: MspLayout.CONFIG },
  ];
}

/**
 * Has the chart's identity provider make identity `name` of `org` exist in Secret `secretName`:
 * a signing identity with `role` when given, and a TLS pair for `tlsHosts` when given.
 */
export function provideIdentity(scope: Construct, org: IOrganization, request: Omit<IdentityRequest, 'org' | 'labels'>): ProvidedIdentity {
  return FabricChart.find(scope).identities.identity(scope, { ...request, org, labels: componentLabels(Component.IDENTITY, org.name) });
}
