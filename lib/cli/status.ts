import type { V1ConfigMap, V1Pod } from '@kubernetes/client-node';
import { ChaincodeModel, ChannelModel, NETWORK_MODEL_CONFIGMAP, NETWORK_MODEL_KEY, NetworkModel } from '../model/network-model';
import { parseModel } from '../model/parse-model';
import { Cluster } from './cluster';
import { JobState, networkJobs } from './jobs';

/** A peer, consenter, CA or chaincode server, as its pod reports it. */
export interface NodeStatus {
  readonly organization: string;
  readonly name: string;
  readonly component: string;
  readonly ready: boolean;
  readonly restarts: number;
  /** The pod's phase, or why its container waits. */
  readonly state: string;
}

/** The block height a node reports for a channel, or why it could not say. */
export interface HeightReport {
  readonly node: string;
  readonly height?: number;
  readonly error?: string;
}

export interface ChannelStatus {
  readonly name: string;
  readonly heights: HeightReport[];
}

/** A chaincode's committed definition, as a peer of the channel reports it. */
export interface ChaincodeStatus {
  readonly name: string;
  readonly channel: string;
  /** The version the app describes. */
  readonly version: string;
  readonly committed?: { readonly version: string; readonly sequence: number; readonly approvals: Record<string, boolean> };
  readonly error?: string;
}

export interface NetworkStatus {
  readonly namespace: string;
  readonly network?: string;
  readonly nodes: NodeStatus[];
  readonly channels: ChannelStatus[];
  readonly chaincodes: ChaincodeStatus[];
  readonly jobs: JobState[];
}

const NODE_COMPONENTS = ['orderer', 'peer', 'ca', 'chaincode'];
const PEER_CONTAINER = 'peer';
const ORDERER_PORT = 7050;

/**
 * The state of the network in `namespace`: its nodes from their pods; for each channel of the
 * network's model, the height every member peer and every consenter reports; for each chaincode,
 * the committed definition and the approvals a peer reports; and the Jobs. Peers are asked with
 * the `peer` CLI in their own container, as themselves; consenters through a peer of the channel.
 */
export async function networkStatus(cluster: Cluster, namespace: string): Promise<NetworkStatus> {
  const [pods, jobs, model] = await Promise.all([
    cluster.listPods(namespace, 'app.kubernetes.io/managed-by=hyperkube'),
    networkJobs(cluster, namespace),
    readModel(cluster, namespace),
  ]);
  const nodes = pods.filter(isNode).map(nodeStatus)
    .sort((a, b) => a.organization.localeCompare(b.organization) || a.name.localeCompare(b.name));
  if (!model) {
    return { namespace, nodes, channels: [], chaincodes: [], jobs };
  }
  const peerPods = new Map(pods.filter((pod) => pod.metadata?.labels?.['app.kubernetes.io/component'] === 'peer' && isReady(pod))
    .map((pod) => [workloadOf(pod), pod.metadata?.name ?? '']));
  // Each org's MSP ConfigMap is read once, whatever number of consenters and chaincodes need it.
  const msps = new Map<string, Promise<V1ConfigMap | undefined>>();
  const mspOf = (org: string) => {
    if (!msps.has(org)) {
      msps.set(org, cluster.readConfigMap(namespace, `${org}-msp`));
    }
    return msps.get(org) as Promise<V1ConfigMap | undefined>;
  };
  const context: StatusContext = { cluster, namespace, model, peerPods, mspOf };
  const channels = await Promise.all(model.channels.map((channel) => channelStatus(context, channel)));
  const chaincodes = await Promise.all(model.chaincodes.map((chaincode) => chaincodeStatus(context, chaincode)));
  return { namespace, network: model.network, nodes, channels, chaincodes, jobs };
}

/** What the channel and chaincode reports share: the network, its ready peers' pods, its orgs' MSPs. */
interface StatusContext {
  readonly cluster: Cluster;
  readonly namespace: string;
  readonly model: NetworkModel;
  /** Ready peers: workload name -> pod name. */
  readonly peerPods: Map<string, string>;
  mspOf(org: string): Promise<V1ConfigMap | undefined>;
}

async function readModel(cluster: Cluster, namespace: string): Promise<NetworkModel | undefined> {
  const configMap = await cluster.readConfigMap(namespace, NETWORK_MODEL_CONFIGMAP);
  return configMap ? parseModel(configMap.data?.[NETWORK_MODEL_KEY], `namespace ${namespace}`) : undefined;
}

/** A pod of a peer, consenter, CA or chaincode server; not of a Job. */
function isNode(pod: V1Pod): boolean {
  return NODE_COMPONENTS.includes(pod.metadata?.labels?.['app.kubernetes.io/component'] ?? '')
    && !(pod.metadata?.ownerReferences ?? []).some((owner) => owner.kind === 'Job');
}

function nodeStatus(pod: V1Pod): NodeStatus {
  const statuses = pod.status?.containerStatuses ?? [];
  const waiting = [...(pod.status?.initContainerStatuses ?? []), ...statuses].map((s) => s.state?.waiting?.reason).find((reason) => reason);
  return {
    organization: pod.metadata?.labels?.['hyperkube.io/organization'] ?? '',
    name: workloadOf(pod),
    component: pod.metadata?.labels?.['app.kubernetes.io/component'] ?? '',
    ready: isReady(pod),
    restarts: statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0),
    state: pod.metadata?.deletionTimestamp ? 'Terminating' : waiting ?? pod.status?.phase ?? 'Unknown',
  };
}

function isReady(pod: V1Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The workload a pod belongs to: `org1-peer0` for `org1-peer0-0`, the Deployment for a chaincode server's pod. */
function workloadOf(pod: V1Pod): string {
  const owner = pod.metadata?.ownerReferences?.[0];
  const name = pod.metadata?.name ?? '';
  if (owner?.kind === 'StatefulSet') {
    return owner.name;
  }
  // A Deployment's pod is <deployment>-<replicaset hash>-<pod hash>.
  return owner?.kind === 'ReplicaSet' ? owner.name.replace(/-[a-z0-9]+$/, '') : name;
}

async function channelStatus({ cluster, namespace, model, peerPods, mspOf }: StatusContext, channel: ChannelModel): Promise<ChannelStatus> {
  const peers = model.organizations.filter((org) => channel.members.includes(org.name)).flatMap((org) => org.nodes);
  const heights: HeightReport[] = [];
  for (const peer of peers) {
    const pod = peerPods.get(peer);
    heights.push(pod ? await peerHeight(cluster, namespace, pod, channel.name, peer) : { node: peer, error: 'not ready' });
  }
  // Consenters are asked through a ready peer of the channel, which may read the channel's blocks.
  const via = peers.map((peer) => peerPods.get(peer)).find((pod) => pod !== undefined);
  for (const consenter of channel.consenters) {
    const org = model.organizations.find((o) => o.nodes.includes(consenter));
    const ca = org && (await mspOf(org.name))?.data?.['tlsca.pem'];
    heights.push(via && ca ? await consenterHeight(cluster, namespace, via, channel.name, consenter, ca) : { node: consenter, error: via ? 'no TLS CA' : 'no ready peer to ask' });
  }
  return { name: channel.name, heights };
}

async function peerHeight(cluster: Cluster, namespace: string, pod: string, channel: string, node: string): Promise<HeightReport> {
  const result = await cluster.exec(namespace, pod, PEER_CONTAINER, ['peer', 'channel', 'getinfo', '-c', channel]);
  const match = /"height":(\d+)/.exec(result.stdout + result.stderr);
  return match ? { node, height: Number(match[1]) } : { node, error: lastLine(result.stderr || result.stdout) };
}

async function consenterHeight(cluster: Cluster, namespace: string, pod: string, channel: string, consenter: string, ca: string): Promise<HeightReport> {
  // The Service's short name: the peer is in the same namespace, and every TLS certificate names it.
  const address = `${consenter}:${ORDERER_PORT}`;
  // The CA goes in as an argument: the peer's container has the orderer org's TLS CA nowhere else.
  const script = 'printf "%s" "$1" > /tmp/hyperkube-orderer-ca.pem && peer channel fetch newest /tmp/hyperkube-newest.block -c "$2" -o "$3" --tls --cafile /tmp/hyperkube-orderer-ca.pem';
  const result = await cluster.exec(namespace, pod, PEER_CONTAINER, ['sh', '-c', script, 'sh', ca, channel, address]);
  const match = /Received block: (\d+)/.exec(result.stderr + result.stdout);
  return match ? { node: consenter, height: Number(match[1]) + 1 } : { node: consenter, error: lastLine(result.stderr || result.stdout) };
}

async function chaincodeStatus(context: StatusContext, chaincode: ChaincodeModel): Promise<ChaincodeStatus> {
  const { cluster, namespace, model, peerPods } = context;
  const base = { name: chaincode.name, channel: chaincode.channel, version: chaincode.version };
  const peers = model.organizations.filter((org) => chaincode.orgs.includes(org.name)).flatMap((org) => org.nodes);
  const pod = peers.map((peer) => peerPods.get(peer)).find((name) => name !== undefined);
  if (!pod) {
    return { ...base, error: 'no ready peer to ask' };
  }
  const org = model.organizations.find((o) => o.nodes.some((node) => peerPods.get(node) === pod));
  const admin = org && await adminMsp(context, org.name);
  if (!org || !admin) {
    return { ...base, error: `no admin Secret ${org?.name}-admin to ask with` };
  }
  // Reading a definition takes a Writer of the channel: the peer's own identity is not one, the
  // org admin is. Its MSP lives in the peer's /tmp only while the query runs.
  const script = [
    'dir=$(mktemp -d) && trap \'rm -rf "$dir"\' EXIT',
    'mkdir -p "$dir/signcerts" "$dir/keystore" "$dir/cacerts"',
    'printf "%s" "$1" > "$dir/signcerts/cert.pem"; printf "%s" "$2" > "$dir/keystore/key.pem"',
    'printf "%s" "$3" > "$dir/cacerts/ca.pem"; printf "%s" "$4" > "$dir/config.yaml"',
    'CORE_PEER_MSPCONFIGPATH="$dir" peer lifecycle chaincode querycommitted -C "$5" -n "$6" -O json',
  ].join('\n');
  const result = await cluster.exec(namespace, pod, PEER_CONTAINER,
    ['sh', '-c', script, 'sh', admin.cert, admin.key, admin.ca, admin.config, chaincode.channel, chaincode.name]);
  if (result.exitCode !== 0) {
    return { ...base, error: /not found|does not exist/.test(result.stderr) ? 'not committed' : lastLine(result.stderr) };
  }
  const committed = JSON.parse(result.stdout) as { version: string; sequence: number; approvals?: Record<string, boolean> };
  return { ...base, committed: { version: committed.version, sequence: committed.sequence, approvals: committed.approvals ?? {} } };
}

/** The org admin's signing identity and the org's MSP files, read from the cluster. */
async function adminMsp({ cluster, namespace, mspOf }: StatusContext, org: string) {
  const [secret, msp] = await Promise.all([cluster.readSecret(namespace, `${org}-admin`), mspOf(org)]);
  const decode = (key: string) => Buffer.from(secret?.data?.[key] ?? '', 'base64').toString('utf8');
  if (!secret?.data?.['cert.pem'] || !msp?.data?.['ca.pem']) {
    return undefined;
  }
  return { cert: decode('cert.pem'), key: decode('key.pem'), ca: msp.data['ca.pem'], config: msp.data['config.yaml'] ?? '' };
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}
