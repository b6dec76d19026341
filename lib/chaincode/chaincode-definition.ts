/**
 * The chaincode definition in the one JSON shape the Jobs compare.
 *
 * Fabric keeps a committed (or approved) definition as protobuf. The Jobs cannot rebuild those
 * bytes from the chart's flags, so both sides are brought to one plain shape instead: this file
 * renders the chart's definition in it at synth time, and `chaincode.sh` brings what the peer
 * reports to it (the endorsement policy by decoding `validation_parameter` with configtxlator,
 * the collections from the CLI's JSON). Equal shapes mean an equal definition.
 *
 * The shape mirrors Fabric's messages field for field, so that the comparison is as strict as
 * Fabric's own (lifecycle compares the policy bytes and the collections exactly):
 *
 * ```
 * { version, endorsement_plugin, validation_plugin, init_required,
 *   validation_parameter: { signature_policy: Envelope } | { channel_config_policy_reference: path },
 *   collections: [{ name, member_orgs_policy: Envelope, required_peer_count, maximum_peer_count,
 *                   block_to_live, member_only_read, member_only_write, endorsement_policy: null }] }
 * Envelope = { version: 0, rule: Rule, identities: [{ principal_classification: 'ROLE', principal: base64(MSPRole) }] }
 * Rule = { signed_by: index } | { n_out_of: { n, rules: Rule[] } }
 * ```
 * Plumbing of ExternalChaincode; not exported from the package's index.
 */

import { PolicyGate, SignaturePolicy } from '../channel/policy';

/** What the lifecycle fills in when an approval names no plugin (Fabric 2.5, core/chaincode/lifecycle). */
export const DEFAULT_ENDORSEMENT_PLUGIN = 'escc';
export const DEFAULT_VALIDATION_PLUGIN = 'vscc';
/** The policy the lifecycle uses when an approval names none. */
export const DEFAULT_ENDORSEMENT_POLICY_REFERENCE = '/Channel/Application/Endorsement';

/** A signature policy rule: one principal by index, or n of the rules below. */
export type PolicyRuleJson = { signed_by: number } | { n_out_of: { n: number; rules: PolicyRuleJson[] } };

/** One principal of a signature policy, as Fabric stores it. */
export interface PolicyIdentityJson {
  readonly principal_classification: 'ROLE';
  /** base64 of the serialized MSPRole. */
  readonly principal: string;
}

/** A signature policy envelope. */
export interface SignaturePolicyJson {
  readonly version: 0;
  readonly rule: PolicyRuleJson;
  readonly identities: PolicyIdentityJson[];
}

/** The endorsement policy of a definition (Fabric's ApplicationPolicy). */
export type ApplicationPolicyJson = { signature_policy: SignaturePolicyJson } | { channel_config_policy_reference: string };

/** One private data collection (Fabric's StaticCollectionConfig). */
export interface CollectionJson {
  readonly name: string;
  readonly member_orgs_policy: SignaturePolicyJson;
  readonly required_peer_count: number;
  readonly maximum_peer_count: number;
  readonly block_to_live: number;
  readonly member_only_read: boolean;
  readonly member_only_write: boolean;
  readonly endorsement_policy: null;
}

/** A whole chaincode definition but its sequence. */
export interface ChaincodeDefinitionJson {
  readonly version: string;
  readonly endorsement_plugin: string;
  readonly validation_plugin: string;
  readonly init_required: boolean;
  readonly validation_parameter: ApplicationPolicyJson;
  readonly collections: CollectionJson[];
}

/** A collection as the chart's collection config file gives it to the peer CLI. */
export interface CollectionConfigInput {
  readonly name: string;
  readonly policy: string;
  readonly requiredPeerCount: number;
  readonly maxPeerCount: number;
  readonly blockToLive: number;
  readonly memberOnlyRead: boolean;
  readonly memberOnlyWrite: boolean;
}

/** What a definition is made of, as the chart states it. */
export interface DefinitionInput {
  readonly version: string;
  readonly initRequired: boolean;
  /** A signature policy expression, if the endorsement policy is one. */
  readonly signaturePolicy?: string;
  /** A channel config policy path, if the endorsement policy is one. */
  readonly channelConfigPolicy?: string;
  readonly collections: CollectionConfigInput[];
}

/** Renders the definition the chart asks for, in the shape the Jobs compare. */
export function renderDefinition(input: DefinitionInput): ChaincodeDefinitionJson {
  return {
    version: input.version,
    endorsement_plugin: DEFAULT_ENDORSEMENT_PLUGIN,
    validation_plugin: DEFAULT_VALIDATION_PLUGIN,
    init_required: input.initRequired,
    validation_parameter: input.signaturePolicy !== undefined
      ? { signature_policy: signaturePolicyEnvelope(input.signaturePolicy) }
      : { channel_config_policy_reference: input.channelConfigPolicy ?? DEFAULT_ENDORSEMENT_POLICY_REFERENCE },
    collections: input.collections.map((collection) => ({
      name: collection.name,
      member_orgs_policy: signaturePolicyEnvelope(collection.policy),
      required_peer_count: collection.requiredPeerCount,
      maximum_peer_count: collection.maxPeerCount,
      block_to_live: collection.blockToLive,
      member_only_read: collection.memberOnlyRead,
      member_only_write: collection.memberOnlyWrite,
      endorsement_policy: null,
    })),
  };
}

/** Roles of Fabric's MSPRole, by their number in the protobuf enum. */
const ROLE_NUMBERS: Record<string, number> = { member: 0, admin: 1, client: 2, peer: 3, orderer: 4 };

/**
 * The envelope Fabric's policy language makes of `expression`, the way the peer CLI makes it: one
 * identity per principal as written (no de-duplication), numbered gate by gate from the innermost:
 * a gate's nested gates take their numbers before its own principals do.
 * Throws, with the position, on what Fabric's parser would refuse.
 */
export function signaturePolicyEnvelope(expression: string): SignaturePolicyJson {
  const root = SignaturePolicy.parse(expression)._root;
  const identities: PolicyIdentityJson[] = [];
  const rule = numberGate(root, identities);
  return { version: 0, rule, identities };
}

function numberGate(node: PolicyGate, identities: PolicyIdentityJson[]): PolicyRuleJson {
  const rules: PolicyRuleJson[] = new Array(node.gate.operands.length);
  node.gate.operands.forEach((operand, index) => {
    if ('gate' in operand) {
      rules[index] = numberGate(operand, identities);
    }
  });
  node.gate.operands.forEach((operand, index) => {
    if ('principal' in operand) {
      rules[index] = { signed_by: identities.length };
      identities.push({ principal_classification: 'ROLE', principal: mspRole(operand.principal.mspId, operand.principal.role) });
    }
  });
  return { n_out_of: { n: node.gate.n, rules } };
}

/** base64 of a serialized MSPRole: field 1 the MSP ID, field 2 the role (left out when 0, as proto3 does). */
export function mspRole(mspId: string, role: string): string {
  const id = Buffer.from(mspId, 'utf8');
  const roleNumber = ROLE_NUMBERS[role];
  const bytes = [0x0a, ...varint(id.length), ...id];
  if (roleNumber !== 0) {
    bytes.push(0x10, ...varint(roleNumber));
  }
  return Buffer.from(bytes).toString('base64');
}

function varint(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return out;
}
