/**
 * The policies of a channel's config as a tree, built from the same model and tables the
 * configtx is rendered from, and the question a chaincode asks of them: can the peers of the
 * organizations that run it ever satisfy a policy with their endorsements?
 */
import { ORDERER_ORG_POLICY_ROLES, orgPolicyRule, PEER_ORG_POLICY_ROLES } from './configtx';
import { ImplicitMetaRule, PolicyGate, PolicyNode, SignaturePolicy } from './policy';
import type { IChannel } from './channel';

/** A policy of a channel config: a signature rule, or an implicit-meta rule over sub-policies. */
export type ChannelPolicyTree = { readonly signature: PolicyGate; readonly expression: string } | { readonly implicitMeta: { readonly rule: ImplicitMetaRule; readonly subPolicies: ChannelPolicyTree[] } };

/** A config group: its policies by name, and its sub-groups by name. */
interface PolicyGroup {
  readonly policies: Record<string, ChannelPolicyTree>;
  readonly groups: Record<string, PolicyGroup>;
}

function orgGroup(mspId: string, roles: Record<string, string[]>): PolicyGroup {
  const policies = Object.fromEntries(Object.entries(roles).map(([name, role]) => {
    const expression = orgPolicyRule(mspId, role);
    return [name, { signature: SignaturePolicy.parse(expression)._root, expression }];
  }));
  return { policies, groups: {} };
}

function meta(rule: ImplicitMetaRule, groups: Record<string, PolicyGroup>, subPolicy: string): ChannelPolicyTree {
  return { implicitMeta: { rule, subPolicies: Object.values(groups).map((group) => group.policies[subPolicy]).filter((policy) => policy !== undefined) } };
}

/** The channel's config groups and policies, as configtx.ts renders them. */
function channelGroup(channel: IChannel): PolicyGroup {
  const admins = channel.policies.admins ?? ImplicitMetaRule.MAJORITY;
  const application = Object.fromEntries(channel.members.map((org) => [org.mspId, orgGroup(org.mspId, PEER_ORG_POLICY_ROLES)]));
  const orderer = Object.fromEntries(channel.orderers.map((org) => [org.mspId, orgGroup(org.mspId, ORDERER_ORG_POLICY_ROLES)]));
  const groups: Record<string, PolicyGroup> = {
    Application: {
      groups: application,
      policies: {
        Readers: meta(ImplicitMetaRule.ANY, application, 'Readers'),
        Writers: meta(ImplicitMetaRule.ANY, application, 'Writers'),
        Admins: meta(admins, application, 'Admins'),
        LifecycleEndorsement: meta(channel.policies.lifecycleEndorsement ?? ImplicitMetaRule.MAJORITY, application, 'Endorsement'),
        Endorsement: meta(channel.policies.endorsement ?? ImplicitMetaRule.MAJORITY, application, 'Endorsement'),
      },
    },
    Orderer: {
      groups: orderer,
      policies: {
        Readers: meta(ImplicitMetaRule.ANY, orderer, 'Readers'),
        Writers: meta(ImplicitMetaRule.ANY, orderer, 'Writers'),
        Admins: meta(admins, orderer, 'Admins'),
        BlockValidation: meta(ImplicitMetaRule.ANY, orderer, 'Writers'),
      },
    },
  };
  return {
    groups,
    policies: {
      Readers: meta(ImplicitMetaRule.ANY, groups, 'Readers'),
      Writers: meta(ImplicitMetaRule.ANY, groups, 'Writers'),
      Admins: meta(admins, groups, 'Admins'),
    },
  };
}

/** The policy at `path` (for example `/Channel/Application/Endorsement`) of `channel`'s config, if it has one. */
export function channelPolicy(channel: IChannel, path: string): ChannelPolicyTree | undefined {
  const parts = path.split('/');
  if (parts[0] !== '' || parts[1] !== 'Channel' || parts.length < 3) {
    return undefined;
  }
  let group: PolicyGroup | undefined = channelGroup(channel);
  for (const name of parts.slice(2, -1)) {
    group = group.groups[name];
    if (!group) {
      return undefined;
    }
  }
  return group.policies[parts[parts.length - 1]];
}

/** Every policy path of `channel`'s config, in config order. */
export function channelPolicyPaths(channel: IChannel): string[] {
  const walk = (group: PolicyGroup, prefix: string): string[] => [
    ...Object.keys(group.policies).map((name) => `${prefix}/${name}`),
    ...Object.entries(group.groups).flatMap(([name, child]) => walk(child, `${prefix}/${name}`)),
  ];
  return walk(channelGroup(channel), '/Channel');
}

/** How many of `count` sub-policies an implicit-meta rule needs. */
export function implicitMetaThreshold(rule: ImplicitMetaRule, count: number): number {
  switch (rule) {
    case ImplicitMetaRule.ANY: return 1;
    case ImplicitMetaRule.ALL: return count;
    case ImplicitMetaRule.MAJORITY: return Math.floor(count / 2) + 1;
  }
}

/**
 * Whether endorsements from `peers` (the number of peers of each MSP ID that can endorse) can
 * satisfy `policy`. A peer's signature matches the `peer` and `member` principals of its MSP, and
 * as in Fabric, one signature satisfies one principal of a signature rule. The check is exact but
 * gives up (answers true) on a policy too large to search, so it never refuses a policy that Fabric
 * might accept.
 */
export function satisfiableByPeers(policy: ChannelPolicyTree, peers: ReadonlyMap<string, number>): boolean {
  if ('signature' in policy) {
    const options = signerSets(policy.signature, peers);
    return options === undefined || options.length > 0;
  }
  const { rule, subPolicies } = policy.implicitMeta;
  const satisfied = subPolicies.filter((sub) => satisfiableByPeers(sub, peers)).length;
  return satisfied >= implicitMetaThreshold(rule, subPolicies.length);
}

/** A set of signatures: how many peers of each MSP ID sign. */
type SignerSet = Map<string, number>;

const SEARCH_LIMIT = 256;

/**
 * The minimal signer sets that satisfy `node`, each within `peers`; undefined when the search grew
 * past its limit.
 */
function signerSets(node: PolicyNode, peers: ReadonlyMap<string, number>): SignerSet[] | undefined {
  if ('principal' in node) {
    const { mspId, role } = node.principal;
    return (role === 'peer' || role === 'member') && (peers.get(mspId) ?? 0) > 0 ? [new Map([[mspId, 1]])] : [];
  }
  // byCount[k]: the minimal sets that satisfy k of the operands seen so far.
  let byCount: SignerSet[][] = [[new Map()]];
  for (const operand of node.gate.operands) {
    const options = signerSets(operand, peers);
    if (options === undefined) {
      return undefined;
    }
    const next = byCount.map((sets) => [...sets]);
    byCount.forEach((sets, k) => {
      if (k >= node.gate.n) {
        return;
      }
      for (const set of sets) {
        for (const option of options) {
          const union = add(set, option);
          if ([...union].every(([mspId, count]) => count <= (peers.get(mspId) ?? 0))) {
            next[k + 1] = [...(next[k + 1] ?? []), union];
          }
        }
      }
    });
    byCount = next.map(minimal);
    if (byCount.some((sets) => sets.length > SEARCH_LIMIT)) {
      return undefined;
    }
  }
  return byCount[node.gate.n] ?? [];
}

function add(a: SignerSet, b: SignerSet): SignerSet {
  const sum = new Map(a);
  for (const [mspId, count] of b) {
    sum.set(mspId, (sum.get(mspId) ?? 0) + count);
  }
  return sum;
}

/** `sets` without those that contain another one of them. */
function minimal(sets: SignerSet[]): SignerSet[] {
  const contains = (big: SignerSet, small: SignerSet) => [...small].every(([mspId, count]) => (big.get(mspId) ?? 0) >= count);
  return sets.filter((set, index) => !sets.some((other, otherIndex) => otherIndex !== index && contains(set, other) && (!contains(other, set) || otherIndex < index)));
}
