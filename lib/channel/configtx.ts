import * as yaml from 'js-yaml';
import { Ports } from '../core/naming';
import { ImplicitMetaRule } from './policy';

/** The policies of a peer organization's group in a channel config, by the roles that satisfy them. */
export const PEER_ORG_POLICY_ROLES: Record<string, string[]> = {
  Readers: ['admin', 'peer', 'client'],
  Writers: ['admin', 'client'],
  Admins: ['admin'],
  Endorsement: ['peer'],
};

/** The policies of an ordering organization's group in a channel config, by the roles that satisfy them. */
export const ORDERER_ORG_POLICY_ROLES: Record<string, string[]> = {
  Readers: ['member'],
  Writers: ['member'],
  Admins: ['admin'],
};

/** The name of the one profile in every configtx.yaml Hyperkube renders. */
export const CONFIGTX_PROFILE = 'Channel';

/** An organization as configtxgen reads it: its MSP folder in the Job's filesystem. */
export interface ConfigtxOrg {
  readonly mspId: string;
  readonly mspDir: string;
}

/** An ordering organization and the `host:port` endpoints of its nodes. */
export interface ConfigtxOrdererOrg extends ConfigtxOrg {
  readonly endpoints: string[];
}

/** A peer organization and the hosts of its anchor peers. */
export interface ConfigtxPeerOrg extends ConfigtxOrg {
  readonly anchorPeerHosts: string[];
}

/** One Raft consenter: its host and the file holding its TLS certificate. */
export interface ConfigtxConsenter {
  readonly host: string;
  readonly tlsCertFile: string;
}

/** Everything a channel's genesis config is made from. */
export interface ConfigtxModel {
  readonly ordererOrgs: ConfigtxOrdererOrg[];
  readonly peerOrgs: ConfigtxPeerOrg[];
  readonly consenters: ConfigtxConsenter[];
  readonly policies: {
    readonly admins: ImplicitMetaRule;
    readonly lifecycleEndorsement: ImplicitMetaRule;
    readonly endorsement: ImplicitMetaRule;
  };
  readonly batchTimeout: string;
  readonly batchSize: {
    readonly maxMessageCount: number;
    readonly absoluteMaxBytes: string;
    readonly preferredMaxBytes: string;
  };
}

/** Renders the configtx.yaml that configtxgen turns into the channel's genesis block. */
export function renderConfigtx(model: ConfigtxModel): string {
  const profile = {
    Policies: metaPolicies(model.policies.admins),
    Capabilities: { V2_0: true },
    Orderer: {
      OrdererType: 'etcdraft',
      BatchTimeout: model.batchTimeout,
      BatchSize: {
        MaxMessageCount: model.batchSize.maxMessageCount,
        AbsoluteMaxBytes: model.batchSize.absoluteMaxBytes,
        PreferredMaxBytes: model.batchSize.preferredMaxBytes,
      },
      EtcdRaft: {
        Consenters: model.consenters.map((consenter) => ({
          Host: consenter.host,
          Port: Ports.ORDERER,
          ClientTLSCert: consenter.tlsCertFile,
          ServerTLSCert: consenter.tlsCertFile,
        })),
        Options: {
          TickInterval: '500ms',
          ElectionTick: 10,
          HeartbeatTick: 1,
          MaxInflightBlocks: 5,
          SnapshotIntervalSize: '16 MB',
        },
      },
      Organizations: model.ordererOrgs.map((org) => ({
        ...organization(org, ORDERER_ORG_POLICY_ROLES),
        OrdererEndpoints: org.endpoints,
      })),
      Policies: { ...metaPolicies(model.policies.admins), BlockValidation: implicitMeta(ImplicitMetaRule.ANY, 'Writers') },
      Capabilities: { V2_0: true },
    },
    Application: {
      Organizations: model.peerOrgs.map((org) => ({
        ...organization(org, PEER_ORG_POLICY_ROLES),
        AnchorPeers: org.anchorPeerHosts.map((host) => ({ Host: host, Port: Ports.PEER })),
      })),
      Policies: {
        ...metaPolicies(model.policies.admins),
        LifecycleEndorsement: implicitMeta(model.policies.lifecycleEndorsement, 'Endorsement'),
        Endorsement: implicitMeta(model.policies.endorsement, 'Endorsement'),
      },
      Capabilities: { V2_5: true },
    },
  };
  const header = '# Rendered by Hyperkube from the Channel construct; configtxgen reads it in the create Job.\n';
  return header + yaml.dump({ Profiles: { [CONFIGTX_PROFILE]: profile } }, { noRefs: true, lineWidth: -1, sortKeys: false });
}

function organization(org: ConfigtxOrg, roles: Record<string, string[]>): Record<string, unknown> {
  const policies = Object.fromEntries(Object.entries(roles).map(([policy, role]) => [policy, { Type: 'Signature', Rule: orgPolicyRule(org.mspId, role) }]));
  return { Name: org.mspId, ID: org.mspId, MSPDir: org.mspDir, Policies: policies };
}

function metaPolicies(admins: ImplicitMetaRule): Record<string, unknown> {
  return {
    Readers: implicitMeta(ImplicitMetaRule.ANY, 'Readers'),
    Writers: implicitMeta(ImplicitMetaRule.ANY, 'Writers'),
    Admins: implicitMeta(admins, 'Admins'),
  };
}

function implicitMeta(rule: ImplicitMetaRule, subPolicy: string): Record<string, string> {
  return { Type: 'ImplicitMeta', Rule: `${rule} ${subPolicy}` };
}

/** The signature rule of an organization's policy satisfied by any of `roles`. */
export function orgPolicyRule(mspId: string, roles: string[]): string {
  return `OR(${roles.map((role) => `'${mspId}.${role}'`).join(', ')})`;
}
