import { posix } from 'node:path';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import type { ExternalChaincode } from '../chaincode/external-chaincode';
import type { IChannel } from '../channel/channel';
import { FabricChart } from '../core/fabric-chart';
import { Component, componentLabels, selectorLabels } from '../core/labels';
import { pinnedImage, validateDnsLabel, validateEnvName } from '../core/naming';
import {
  checkProps, describeValue, hasMembers, optionalArray, optionalInteger, optionalRecord, rejectUnknownProps, requireString,
} from '../core/props';
import {
  addSingleContainerDeployment, DefaultResources, envList, ProjectedFile, projectedVolume, reserveObjectName, resourceRequirements,
  ResourceSettings,
} from '../core/workload';
import { IdentityKeys, MspKeys } from '../org/msp';
import { ClientUser, IPeer, IPeerOrg } from '../org/peer-org';
import { GATEWAY_LAYOUT, gatewayEnvironment } from './gateway-layout';

/** Props for `Application`. */
export interface ApplicationProps {
  /** The organization the application belongs to: its connection profile, CAs and one user's identity are mounted. */
  readonly org: IPeerOrg;
  /**
   * Name of the Deployment, a DNS label.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * The client identity the application acts as: one of the org's `users` (its Secret `<org>-<user>`).
   * @default the org's first user
   */
  readonly user?: string;
  /** Image of the application, pinned to a version tag or digest. */
  readonly image: string;
  /**
   * Entrypoint of the container.
   * @default the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Arguments of the entrypoint.
   * @default the image's command
   */
  readonly args?: string[];
  /**
   * Extra environment. The construct sets the gateway settings itself (`Application.GATEWAY_ENV`),
   * and CHANNEL_NAME and CHAINCODE_NAME when `channel` or `chaincode` is given.
   * @default none
   */
  readonly env?: { [name: string]: string };
  /**
   * Application pods; 0 stops the application.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * CPU and memory of the application container.
   * @default 50m/64Mi requested, 500m/256Mi limit
   */
  readonly resources?: ResourceSettings;
  /**
   * The channel the application uses, as CHANNEL_NAME; the org must be a member.
   * @default the chaincode's channel when `chaincode` is given, else no CHANNEL_NAME
   */
  readonly channel?: IChannel;
  /**
   * The chaincode the application calls, as CHAINCODE_NAME. The org need not run it: the gateway
   * peer gathers endorsements from the peers that do.
   * @default no CHAINCODE_NAME
   */
  readonly chaincode?: ExternalChaincode;
  /**
   * The peer whose Fabric Gateway the application dials, one of the org's own peers (the mounted
   * TLS CA is the org's).
   * @default the org's first peer
   */
  readonly gatewayPeer?: IPeer;
}

/** Every prop of `Application`, so that a misspelt one is refused (the compiler keeps the list whole). */
const APPLICATION_PROPS: Record<keyof ApplicationProps, true> = {
  org: true, name: true, user: true, image: true, command: true, args: true, env: true, replicas: true, resources: true,
  channel: true, chaincode: true, gatewayPeer: true,
};

/** The volume holding the gateway files. */
const GATEWAY_VOLUME = 'gateway';

/**
 * A Fabric Gateway application of one organization, as a Deployment. Its pods find, read-only in
 * `Application.GATEWAY_DIR`, the files `hyperkube export` writes: the org's connection profile
 * (`connection.json`), the user's MSP folder (certificate, key, the org's CAs and NodeOU config)
 * and the TLS CA (`tls/ca.pem`); and in their environment the settings fabric-samples' gateway
 * applications read, with absolute paths. The objects mounted have the same names in every
 * identity mode, so the application runs unchanged on generated, Fabric CA and imported
 * identities. The Deployment is the default child: `ApiObject.of(app)` is the escape hatch.
 */
export class Application extends Construct {
  /** Where the pods find the gateway files. */
  public static readonly GATEWAY_DIR = '/etc/hyperledger/gateway';
  /** The environment the construct sets on every application; `env` may not set them. */
  public static readonly GATEWAY_ENV = [
    'MSP_ID', 'PEER_ENDPOINT', 'PEER_HOST_ALIAS', 'CERT_PATH', 'KEY_PATH', 'TLS_CERT_PATH', 'CERT_DIRECTORY_PATH', 'KEY_DIRECTORY_PATH',
  ];

  /** Deployment name. */
  public readonly name: string;
  public readonly org: IPeerOrg;
  /** The identity the application acts as. */
  public readonly user: ClientUser;
  public readonly gatewayPeer: IPeer;
  /** The channel named in CHANNEL_NAME, if any. */
  public readonly channel?: IChannel;
  /** The chaincode named in CHAINCODE_NAME, if any. */
  public readonly chaincode?: ExternalChaincode;
  /** Application pods. */
  public readonly replicas: number;

  public constructor(scope: Construct, id: string, props: ApplicationProps) {
    super(scope, id);
    const owner = `Application ${id}`;
    checkProps(owner, props, ['org', 'image']);
    if (new.target === Application) {
      rejectUnknownProps(owner, props, APPLICATION_PROPS);
    }
    const chart = FabricChart.find(this);
    this.name = validateDnsLabel(owner, props.name === undefined ? 'name (the construct id unless given)' : 'name', props.name ?? id);
    reserveObjectName(this, 'Deployment', this.name);
    this.org = checkOrg(owner, props.org, chart);
    this.user = findUser(owner, this.org, props.user);
    this.gatewayPeer = findGatewayPeer(owner, this.org, props.gatewayPeer);
    this.chaincode = checkChaincode(owner, props.chaincode, chart);
    this.channel = this.resolveChannel(owner, props.channel, chart);
    this.replicas = optionalInteger(owner, 'replicas', props.replicas, 0) ?? 1;
    const env = { ...checkEnv(owner, props.env, this.ownEnvNames()), ...this.ownEnv() };
    this.node.defaultChild = this.addDeployment(owner, props, env);
  }

  /** The channel of `channel` and `chaincode`, which must agree, and of which the org must be a member. */
  private resolveChannel(owner: string, value: unknown, chart: FabricChart): IChannel | undefined {
    const given = value === undefined ? undefined : checkChannel(owner, value, chart);
    if (given && this.chaincode && this.chaincode.channel.name !== given.name) {
      throw new Error(`${owner}: chaincode ${this.chaincode.name} is defined on channel ${this.chaincode.channel.name}, not on channel ${given.name}. Pass channel ${this.chaincode.channel.name}, or leave channel out: it follows the chaincode.`);
    }
    const channel = given ?? this.chaincode?.channel;
    if (channel && !channel.members.some((member) => member.mspId === this.org.mspId)) {
      const members = channel.members.map((member) => member.mspId).join(', ');
      throw new Error(`${owner}: ${this.org.mspId} is not a member of channel ${channel.name} (members: ${members}), so its peers cannot serve the application there. Add ${this.org.node.id} to the channel's members, or give the application an org that is one.`);
    }
    return channel;
  }

  /** The names `ownEnv` sets. */
  private ownEnvNames(): string[] {
    return [...Application.GATEWAY_ENV, ...(this.channel ? ['CHANNEL_NAME'] : []), ...(this.chaincode ? ['CHAINCODE_NAME'] : [])];
  }

  /** The gateway settings, with the paths of the mounted files, and the channel and chaincode names. */
  private ownEnv(): Record<string, string> {
    const gateway = gatewayEnvironment({
      mspId: this.org.mspId, peerEndpoint: this.gatewayPeer.address, peerHostAlias: this.gatewayPeer.host,
    }, Application.GATEWAY_DIR);
    return {
      ...gateway,
      // Some fabric-samples applications read the folders and take the one file in each.
      CERT_DIRECTORY_PATH: posix.dirname(gateway.CERT_PATH),
      KEY_DIRECTORY_PATH: posix.dirname(gateway.KEY_PATH),
      ...(this.channel ? { CHANNEL_NAME: this.channel.name } : {}),
      ...(this.chaincode ? { CHAINCODE_NAME: this.chaincode.name } : {}),
    };
  }

  /** The files of `GATEWAY_LAYOUT` but the env file (the settings are in the environment). */
  private gatewayFiles(): ProjectedFile[] {
    const profile = this.org.connectionProfileConfigMapName;
    const msp = this.org.mspConfigMapName;
    const secret = this.user.secretName;
    return [
      { source: 'configMap', name: profile, key: GATEWAY_LAYOUT.PROFILE, path: GATEWAY_LAYOUT.PROFILE },
      { source: 'configMap', name: msp, key: MspKeys.TLS_CA, path: GATEWAY_LAYOUT.TLS_CA },
      { source: 'configMap', name: msp, key: MspKeys.SIGNING_CA, path: GATEWAY_LAYOUT.SIGNING_CA },
      { source: 'configMap', name: msp, key: MspKeys.TLS_CA, path: GATEWAY_LAYOUT.TLS_CA_IN_MSP },
      { source: 'configMap', name: msp, key: MspKeys.CONFIG, path: GATEWAY_LAYOUT.NODE_OUS },
      { source: 'secret', name: secret, key: IdentityKeys.CERT, path: GATEWAY_LAYOUT.CERT },
      { source: 'secret', name: secret, key: IdentityKeys.KEY, path: GATEWAY_LAYOUT.KEY },
    ];
  }

  private addDeployment(owner: string, props: ApplicationProps, env: Record<string, string>): k8s.KubeDeployment {
    const image = pinnedImage(owner, 'image', props.image);
    const command = stringList(owner, 'command', props.command, '/app/start.sh');
    const args = stringList(owner, 'args', props.args, '--verbose');
    const resources = resourceRequirements(owner, props.resources, DefaultResources.APPLICATION);
    return addSingleContainerDeployment(this, {
      name: this.name,
      labels: componentLabels(Component.APPLICATION, this.org.name),
      selector: selectorLabels('fabric-application', this.name),
      replicas: this.replicas,
      container: {
        name: 'application',
        image,
        command,
        args,
        env: envList(env),
        volumeMounts: [{ name: GATEWAY_VOLUME, mountPath: Application.GATEWAY_DIR, readOnly: true }],
        resources,
      },
      volumes: [projectedVolume(GATEWAY_VOLUME, this.gatewayFiles())],
    });
  }
}

/** `value` as a peer organization of `chart` with users and a connection profile. */
function checkOrg(owner: string, value: unknown, chart: FabricChart): IPeerOrg {
  const org = value as IPeerOrg;
  if (!hasMembers(value, 'node', 'mspId', 'name', 'mspConfigMapName', 'connectionProfileConfigMapName')
    || !Array.isArray(org.peers) || !Array.isArray(org.users)) {
    const orderer = hasMembers(value, 'nodes') ? ' It is an ordering organization, which has no gateway peers.' : '';
    throw new Error(`${owner}: org is ${describeValue(value)}, not a peer organization.${orderer} Pass a PeerOrg construct.`);
  }
  chart._requireSameChart(owner, 'org', org);
  return org;
}

/** The user named `value`, or the org's first one. */
function findUser(owner: string, org: IPeerOrg, value: unknown): ClientUser {
  const users = org.users;
  if (value === undefined) {
    if (users.length === 0) {
      throw new Error(`${owner}: PeerOrg ${org.node.id} has no users, so there is no identity to act as. Give it one (users: ['user1'], or ${org.node.id}.addUser('user1') before the Application).`);
    }
    return users[0];
  }
  const name = requireString(owner, 'user', value, 'user1');
  const user = users.find((candidate) => candidate.name === name);
  if (!user) {
    const known = users.length > 0 ? `its users are ${users.map((candidate) => candidate.name).join(', ')}` : 'it has no users';
    throw new Error(`${owner}: user "${name}" is not a user of PeerOrg ${org.node.id} (${known}), so it has no Secret ${org.name}-${name} to mount. Add it (users: [..., '${name}'], or ${org.node.id}.addUser('${name}') before the Application), or name one of its users.`);
  }
  return user;
}

/** `value`, one of the org's peers, or the org's first peer. */
function findGatewayPeer(owner: string, org: IPeerOrg, value: unknown): IPeer {
  if (value === undefined) {
    return org.peers[0];
  }
  const peer = org.peers.find((candidate) => hasMembers(value, 'name') && candidate.name === (value as IPeer).name);
  if (!peer) {
    throw new Error(`${owner}: gatewayPeer is ${describeValue(value)}${hasMembers(value, 'name') ? ` (${(value as IPeer).name})` : ''}, not a peer of PeerOrg ${org.node.id} (peers: ${org.peers.map((candidate) => candidate.name).join(', ')}). The application trusts its own org's TLS CA only: pick one of those peers, or leave gatewayPeer out for the first.`);
  }
  return peer;
}

/** `value`, given as the channel of `owner`, as a channel of `chart`. */
function checkChannel(owner: string, value: unknown, chart: FabricChart): IChannel {
  if (!hasMembers(value, 'node', 'name') || !Array.isArray((value as IChannel).members)) {
    throw new Error(`${owner}: channel is ${describeValue(value)}, not a channel. Pass a Channel construct.`);
  }
  chart._requireSameChart(owner, 'channel', value as IChannel);
  return value as IChannel;
}

/** `value`, when given, as a chaincode of `chart`. */
function checkChaincode(owner: string, value: unknown, chart: FabricChart): ExternalChaincode | undefined {
  if (value === undefined) {
    return undefined;
  }
  const chaincode = value as ExternalChaincode;
  if (!hasMembers(value, 'node', 'name', 'channel') || typeof chaincode.packageId !== 'function') {
    throw new Error(`${owner}: chaincode is ${describeValue(value)}, not a chaincode. Pass an ExternalChaincode construct.`);
  }
  chart._requireSameChart(owner, 'chaincode', chaincode);
  return chaincode;
}

/** The extra environment: valid names, string values, none of the names the construct sets. */
function checkEnv(owner: string, value: unknown, ownNames: string[]): Record<string, string> {
  const env = optionalRecord(owner, 'env', value) ?? {};
  for (const [name, text] of Object.entries(env)) {
    validateEnvName(owner, 'env name', name);
    requireString(owner, `env.${name}`, text, 'value');
    if (ownNames.includes(name)) {
      const from = name === 'CHANNEL_NAME' ? 'from channel (or the chaincode\'s channel)' : name === 'CHAINCODE_NAME' ? 'from chaincode' : 'to point at the mounted gateway files';
      throw new Error(`${owner}: env sets ${name}, which the Application sets itself ${from} (it sets ${ownNames.join(', ')}). Remove ${name} from env.`);
    }
  }
  return env as Record<string, string>;
}

/** A list of strings, when given and not empty: an empty list is the image's default, and the API would drop it. */
function stringList(owner: string, prop: string, value: unknown, example: string): string[] | undefined {
  const list = optionalArray(owner, prop, value, (item, path) => requireString(owner, path, item, example));
  return list && list.length > 0 ? list : undefined;
}
