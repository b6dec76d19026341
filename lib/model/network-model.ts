/**
 * The network an app describes, as plain JSON: what the CLI reads to draw it (`hyperkube diagram`,
 * from `dist/`, without a cluster) and to report on it (`hyperkube status`, from the cluster). Every
 * FabricChart writes it into ConfigMap `NETWORK_MODEL_CONFIGMAP`, key `NETWORK_MODEL_KEY`.
 */
export interface NetworkModel {
  /** The network's name (`FabricChart`'s `network`). */
  readonly network: string;
  readonly namespace: string;
  readonly fabricVersion: string;
  readonly organizations: OrganizationModel[];
  readonly channels: ChannelModel[];
  readonly chaincodes: ChaincodeModel[];
}

/** One organization, peer or ordering. */
export interface OrganizationModel {
  /** DNS-label name, for example `org1`. */
  readonly name: string;
  readonly mspId: string;
  readonly kind: 'peer' | 'orderer';
  /** Its peers or consenters, by workload name (`org1-peer0`, `orderer-node0`), in order. */
  readonly nodes: string[];
  /** Its Fabric CA's workload name, when it runs one in the cluster. */
  readonly ca?: string;
}

/** One application channel. */
export interface ChannelModel {
  readonly name: string;
  /** Ordering organizations, by name. */
  readonly orderers: string[];
  /** Raft consenters, by workload name. */
  readonly consenters: string[];
  /** Member (peer) organizations, by name. */
  readonly members: string[];
  /**
   * The rule (`ANY`, `MAJORITY` or `ALL`) of the channel's default endorsement policy over its
   * members, which a chaincode without a policy of its own follows. Absent in models written before
   * it was added.
   */
  readonly defaultEndorsement?: string;
}

/** One chaincode definition on one channel. */
export interface ChaincodeModel {
  readonly name: string;
  readonly channel: string;
  readonly version: string;
  /** Organizations that run a server for it and approve it, by name. */
  readonly orgs: string[];
  /** Its endorsement policy, in Fabric's syntax, or the channel's default policy reference. */
  readonly endorsementPolicy: string;
  /** Its servers (Deployments), one per org, by workload name; none when it runs at `serverAddress`. */
  readonly servers: string[];
  /** `host:port` of its server outside the cluster, which every org's peers dial, if it runs there. */
  readonly serverAddress?: string;
  /** The package ID each org's peers install, in the order of `orgs`: the server's CHAINCODE_ID. */
  readonly packageIds: string[];
}

/** The ConfigMap every FabricChart writes its model into. */
export const NETWORK_MODEL_CONFIGMAP = 'hyperkube-model';
/** The key of the model (JSON) in that ConfigMap. */
export const NETWORK_MODEL_KEY = 'model.json';
