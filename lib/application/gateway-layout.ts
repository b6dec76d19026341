import { posix } from 'node:path';

/**
 * Where a Fabric Gateway application of an organization finds what it needs, relative to one
 * folder: the layout `hyperkube export` writes and `Application` mounts. The MSP folder is the one
 * the peer CLI and the SDKs read; the TLS CA also sits apart, as fabric-samples expect it.
 */
export const GATEWAY_LAYOUT = {
  PROFILE: 'connection.json',
  TLS_CA: 'tls/ca.pem',
  SIGNING_CA: 'msp/cacerts/ca.pem',
  TLS_CA_IN_MSP: 'msp/tlscacerts/tlsca.pem',
  NODE_OUS: 'msp/config.yaml',
  CERT: 'msp/signcerts/cert.pem',
  KEY: 'msp/keystore/key.pem',
  ENV: 'gateway.env',
} as const;

/** The gateway peer and identity an application uses. */
export interface GatewaySettings {
  readonly mspId: string;
  /** `host:port` of the gateway peer. */
  readonly peerEndpoint: string;
  /** The name the peer's TLS certificate carries. */
  readonly peerHostAlias: string;
}

/**
 * The environment fabric-samples' gateway applications read, with the paths of `GATEWAY_LAYOUT`
 * under `dir` ('' keeps them relative).
 */
export function gatewayEnvironment(settings: GatewaySettings, dir: string): Record<string, string> {
  return {
    MSP_ID: settings.mspId,
    PEER_ENDPOINT: settings.peerEndpoint,
    PEER_HOST_ALIAS: settings.peerHostAlias,
    CERT_PATH: posix.join(dir, GATEWAY_LAYOUT.CERT),
    KEY_PATH: posix.join(dir, GATEWAY_LAYOUT.KEY),
    TLS_CERT_PATH: posix.join(dir, GATEWAY_LAYOUT.TLS_CA),
  };
}
