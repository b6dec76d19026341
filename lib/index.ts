// The public API of Hyperkube, exported by name. Everything else is plumbing.
export { FabricChart, type FabricChartProps, type FabricImages } from './core/fabric-chart';
export { Ports } from './core/naming';
export { LabelKeys, Component } from './core/labels';
export type { ResourceSettings } from './core/workload';

export { type IOrganization, Organization, type OrganizationProps } from './org/organization';
export { MspKeys, IdentityKeys } from './org/msp';
export {
  type IPeer, type IPeerOrg, PeerOrg, type PeerOrgProps, type ClientUser, type ConnectionProfile, type ConnectionProfileClient,
  type ConnectionProfileOrganization, type ConnectionProfilePeer, type ConnectionProfilePem,
} from './org/peer-org';
export { Peer, type PeerProps, type PeerSettings, StateDatabase } from './org/peer';
export {
  type IOrderer, type IOrdererNode, Orderer, type OrdererProps, OrdererNode, type OrdererNodeProps, type OrdererNodeSettings,
} from './org/orderer';

export { type IChannel, Channel, type ChannelProps, type ChannelPolicies, type BatchSize } from './channel/channel';
export { ImplicitMetaRule, EndorsementPolicy, SignaturePolicy, type PolicyPrincipal } from './channel/policy';

export {
  ExternalChaincode, type ExternalChaincodeProps, type ExternalChaincodeOptions, type PrivateDataCollection,
  ChaincodeServer, type ChaincodeServerProps,
} from './chaincode/external-chaincode';
export { CcaasPackage, type CcaasConnection } from './chaincode/ccaas-package';

export {
  Exposure, type ExposureOptions, type GatewayApiExposureOptions, type GatewayReference, type IngressNginxExposureOptions,
} from './exposure/exposure';

export { Monitoring, type MonitoringProps } from './ops/monitoring';
export { Alerts, type AlertRule, type RuleGroup } from './ops/alert-rules';

export { Application, type ApplicationProps } from './application/application';
export { GATEWAY_LAYOUT } from './application/gateway-layout';

export {
  type IIdentityProvider, type CertificateAuthorities, type KeyPair, NodeRole, type OrgScope, type OrganizationIdentity,
  type IdentityRequest, type ProvidedIdentity, type PasswordRequest,
} from './identity/identity-provider';
export { GeneratedIdentities, type GeneratedIdentitiesProps } from './identity/generated/generated-identities';
export { FabricCa, type FabricCaProps } from './identity/fabric-ca/fabric-ca';
export { FabricCaIdentities, type FabricCaIdentitiesProps } from './identity/fabric-ca/fabric-ca-identities';
export { ImportedIdentities, type ImportedIdentitiesProps } from './identity/imported/imported-identities';

export {
  type NetworkModel, type OrganizationModel, type ChannelModel, type ChaincodeModel, NETWORK_MODEL_CONFIGMAP, NETWORK_MODEL_KEY,
} from './model/network-model';

export { NetworkBackup, type NetworkBackupProps } from './backup/network-backup';
export { BackupTarget, type S3BackupTargetOptions, type VolumeBackupTargetOptions } from './backup/backup-target';
