import { Construct, IConstruct } from 'constructs';
import { Component, componentLabels } from '../core/labels';
import { validateCount, validateDnsLabel } from '../core/naming';
import { optionalArray, rejectUnknownProps, requireInteger, requireString } from '../core/props';
import { namedConfigMap } from '../core/workload';
import { NodeRole } from '../identity/identity-provider';
import { provideIdentity } from './msp';
import { IOrganization, Organization, OrganizationProps } from './organization';
import { Peer, PeerSettings } from './peer';

/** A peer as clients, gossip and discovery address it. */
export interface IPeer extends IConstruct {
  /** Service and host name, for example `org1-peer0`. */
  readonly name: string;
  /** Fully qualified in-cluster host name. */
  readonly host: string;
  /** `host:port` of the peer endpoint (also its gossip external endpoint). */
  readonly address: string;
  /** The host name clients outside the cluster dial, when the chart has an exposure. */
  readonly externalHost?: string;
  /** `host:port` clients outside the cluster dial (the ingress's port), when the chart has an exposure. */
  readonly externalAddress?: string;
}

/** A peer organization, as channels and chaincodes see it. */
export interface IPeerOrg extends IOrganization {
  /** The peers, in order. */
  readonly peers: IPeer[];
  /** The peers announced as anchor peers in channel configs. */
  readonly anchorPeers: IPeer[];
  /** The client identities applications act as, each in its own Secret. */
  readonly users: ClientUser[];
  /** Name of the ConfigMap holding the connection profile, `connection.json`. */
  readonly connectionProfileConfigMapName: string;
}

/** Props for `PeerOrg`. */
export interface PeerOrgProps extends OrganizationProps, PeerSettings {
  /**
   * Number of peers.
   * @default 1
   */
  readonly peers?: number;
  /**
   * Indexes of the peers announced as anchor peers in channel configs, so other organizations
   * and service discovery can reach this one.
   * @default [0]
   */
  readonly anchorPeers?: number[];
  /**
   * Client identities (OU `client`) to issue, each in a Secret `<org>-<user>` for applications.
   * More can be added with `addUser`.
   * @default ['user1']
   */
  readonly users?: string[];
}

/** A client identity of a peer organization, for applications. */
export interface ClientUser {
  /** User name, for example `user1`. */
  readonly name: string;
  /** Name of the Secret holding its certificate and key (keys in `IdentityKeys`). */
  readonly secretName: string;
}

/** A Fabric Gateway connection profile, in the common connection profile layout. */
export interface ConnectionProfile {
  readonly name: string;
  readonly version: string;
  readonly client: ConnectionProfileClient;
  readonly organizations: { [mspId: string]: ConnectionProfileOrganization };
  readonly peers: { [peer: string]: ConnectionProfilePeer };
}

/** The organization a connection profile's client belongs to. */
export interface ConnectionProfileClient {
  readonly organization: string;
}

/** An organization of a connection profile. */
export interface ConnectionProfileOrganization {
  readonly mspid: string;
  readonly peers: string[];
}

/** A peer of a connection profile. */
export interface ConnectionProfilePeer {
  readonly url: string;
  /** The TLS CA certificate; absent from `connectionProfile()` when it is known only in the cluster. */
  readonly tlsCACerts?: ConnectionProfilePem;
  readonly grpcOptions: { [option: string]: string };
}

/** A PEM certificate inside a connection profile. */
export interface ConnectionProfilePem {
  readonly pem: string;
}

/** Every prop of `PeerOrg`, so that a misspelt one is refused (the compiler keeps the list whole). */
const PEER_ORG_PROPS: Record<keyof PeerOrgProps, true> = {
  mspId: true, name: true, peers: true, anchorPeers: true, users: true, stateDatabase: true, storage: true, resources: true, logSpec: true,
};

/**
 * A peer organization and its peers. Per peer (`peers[i]`, a `Peer` construct): a StatefulSet
 * with a ledger volume, a Service and an identity Secret. The organization also gets client
 * identities and a connection profile for gateway applications.
 */
export class PeerOrg extends Organization implements IPeerOrg {
  /** Name of the ConfigMap holding `connection.json`. */
  public readonly connectionProfileConfigMapName: string;
  /**
   * Name of the ConfigMap holding `connection.json` for clients outside the cluster,
   * `<org>-connection-profile-external`, when the chart has an exposure.
   */
  public readonly externalConnectionProfileConfigMapName?: string;
  private readonly _peers: Peer[];
  private readonly _anchorPeers: Peer[];
  private readonly _users: ClientUser[] = [];

  public constructor(scope: Construct, id: string, props: PeerOrgProps) {
    super(scope, id, props, 'PeerOrg');
    const owner = `PeerOrg ${id}`;
    if (new.target === PeerOrg) {
      rejectUnknownProps(owner, props, PEER_ORG_PROPS);
    }
    const count = validateCount(owner, 'peers', props.peers ?? 1);
    const anchorIndexes = validateAnchorPeers(owner, props.anchorPeers ?? [0], count);
    const users = optionalArray(owner, 'users', props.users, (user, path) => requireString(owner, path, user, 'user1')) ?? ['user1'];
    this._peers = Array.from({ length: count }, (_, index) => new Peer(this, `peer${index}`, { ...props, index }));
    this._anchorPeers = anchorIndexes.map((index) => this._peers[index]);
    for (const user of users) {
      this.addUser(user);
    }
    this.connectionProfileConfigMapName = `${this.name}-connection-profile`;
    if (this.certificateAuthorities) {
      namedConfigMap(this, 'connection-profile', {
        metadata: { name: this.connectionProfileConfigMapName, labels: componentLabels(Component.CONNECTION_PROFILE, this.name) },
        data: { 'connection.json': JSON.stringify(this.connectionProfile(), undefined, 2) + '\n' },
      });
    }
    const external = this.externalConnectionProfile();
    if (external) {
      this.externalConnectionProfileConfigMapName = `${this.connectionProfileConfigMapName}-external`;
      namedConfigMap(this, 'external-connection-profile', {
        metadata: { name: this.externalConnectionProfileConfigMapName, labels: componentLabels(Component.CONNECTION_PROFILE, this.name) },
        data: { 'connection.json': JSON.stringify(external, undefined, 2) + '\n' },
      });
    }
  }

  /** @internal The connection profile for a provider that knows the TLS CA only in the cluster. */
  public connectionProfileTemplate(): { configMapName: string; profile: ConnectionProfile } {
    return { configMapName: this.connectionProfileConfigMapName, profile: this.connectionProfile() };
  }

  /** The peers, in order (a copy). */
  public get peers(): IPeer[] {
    return [...this._peers];
  }

  /** The anchor peers (a copy). */
  public get anchorPeers(): IPeer[] {
    return [...this._anchorPeers];
  }

  /** The client identities (a copy); add one with `addUser`. */
  public get users(): ClientUser[] {
    return [...this._users];
  }

  /** Issues a client identity `name` (OU `client`) in a Secret `<org>-<name>`. */
  public addUser(name: string): ClientUser {
    const owner = `PeerOrg ${this.node.id}`;
    validateDnsLabel(owner, 'user name', name, 20);
    if (name === 'admin' || this._users.some((user) => user.name === name)) {
      throw new Error(`${owner}: user "${name}" is listed twice or clashes with the admin identity; give each user a distinct name other than "admin".`);
    }
    const user = { name, secretName: `${this.name}-${name}` };
    provideIdentity(this, this, { secretName: user.secretName, name: user.secretName, role: NodeRole.CLIENT });
    this._users.push(user);
    return user;
  }

  /** The connection profile for Fabric Gateway clients of this organization inside the cluster. */
  public connectionProfile(): ConnectionProfile {
    return this.profile(`${this.chart.namespace}-${this.name}`, (peer) => ({ host: peer.host, address: peer.address }));
  }

  /**
   * The connection profile for Fabric Gateway clients outside the cluster, which dial the peers'
   * external host names through the ingress; undefined when the chart has no exposure. In Fabric CA
   * mode it holds no TLS CA, which exists only in the cluster: take `tlsca.pem` of `<org>-msp`.
   */
  public externalConnectionProfile(): ConnectionProfile | undefined {
    if (!this.chart.exposure) {
      return undefined;
    }
    return this.profile(`${this.chart.namespace}-${this.name}-external`, (peer) => ({ host: peer.externalHost!, address: peer.externalAddress! }));
  }

  /** A profile named `name` whose peers are dialled at `endpoint(peer)`. */
  private profile(name: string, endpoint: (peer: Peer) => { host: string; address: string }): ConnectionProfile {
    const tlsCaPem = this.certificateAuthorities?.tlsCaPem;
    return {
      name,
      version: '1.0.0',
      client: { organization: this.mspId },
      organizations: { [this.mspId]: { mspid: this.mspId, peers: this._peers.map((peer) => peer.name) } },
      peers: Object.fromEntries(this._peers.map((peer) => {
        const { host, address } = endpoint(peer);
        return [peer.name, {
          url: `grpcs://${address}`,
          ...(tlsCaPem ? { tlsCACerts: { pem: tlsCaPem } } : {}),
          grpcOptions: { 'ssl-target-name-override': host, 'hostnameOverride': host },
        }];
      })),
    };
  }
}

function validateAnchorPeers(owner: string, value: unknown, count: number): number[] {
  const indexes = optionalArray(owner, 'anchorPeers', value, (index, path) => requireInteger(owner, path, index, 0)) ?? [];
  if (indexes.length === 0) {
    throw new Error(`${owner}: anchorPeers is empty. Name at least one peer index (for example [0]) so other organizations can find this one.`);
  }
  for (const index of indexes) {
    if (index >= count) {
      throw new Error(`${owner}: anchor peer index ${index} does not exist; the organization has peers 0 to ${count - 1}.`);
    }
  }
  return [...new Set(indexes)];
}
