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

/** The spellings of each gate Fabric's policy language knows (it is case-sensitive in these three forms). */
const GATES: Record<string, 'and' | 'or' | 'outof'> = {
  And: 'and', and: 'and', AND: 'and',
  Or: 'or', or: 'or', OR: 'or',
  OutOf: 'outof', outof: 'outof', OUTOF: 'outof',
};

/** A principal as the policy language accepts it: MSP ID of letters, digits, '.' and '-', then a role. */
const PRINCIPAL = /^([A-Za-z0-9.-]+)\.(admin|member|client|peer|orderer)$/;

type PolicyNode = { gate: { n: number; operands: PolicyNode[] } } | { principal: { mspId: string; role: string } };

/**
 * The envelope Fabric's policy language makes of `expression`, the way the peer CLI makes it: one
 * identity per principal as written (no de-duplication), numbered gate by gate from the innermost:
 * a gate's nested gates take their numbers before its own principals do.
 * Throws, with the position, on what Fabric's parser would refuse.
 */
export function signaturePolicyEnvelope(expression: string): SignaturePolicyJson {
  const root = new ExpressionParser(expression).parse();
  const identities: PolicyIdentityJson[] = [];
  const rule = numberGate(root, identities);
  return { version: 0, rule, identities };
}

function numberGate(node: { gate: { n: number; operands: PolicyNode[] } }, identities: PolicyIdentityJson[]): PolicyRuleJson {
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

/** Parser of Fabric's signature policy language into a tree, refusing what Fabric refuses. */
class ExpressionParser {
  private position = 0;

  public constructor(private readonly text: string) {}

  public parse(): { gate: { n: number; operands: PolicyNode[] } } {
    this.skipSpace();
    const root = this.node();
    this.skipSpace();
    if (this.position < this.text.length) {
      this.fail(`unexpected "${this.text.slice(this.position, this.position + 10)}"`);
    }
    if (!('gate' in root)) {
      this.fail('the policy must be a gate such as OR(...), AND(...) or OutOf(n, ...); Fabric does not accept a lone principal');
    }
    return root;
  }

  private node(): PolicyNode {
    this.skipSpace();
    const quote = this.text[this.position];
    if (quote === '\'' || quote === '"') {
      return this.principal(quote);
    }
    const match = /^([A-Za-z]+)\s*\(/.exec(this.text.slice(this.position));
    const gate = match ? GATES[match[1]] : undefined;
    if (!match || !gate) {
      this.fail(`expected AND(...), OR(...), OutOf(n, ...) (written all upper case, all lower case, or as shown) or a quoted principal such as 'Org1MSP.peer'`);
    }
    this.position += match[0].length;
    let n: number | undefined;
    if (gate === 'outof') {
      this.skipSpace();
      const count = /^\d+/.exec(this.text.slice(this.position));
      if (!count) {
        this.fail('OutOf needs a whole number first');
      }
      this.position += count[0].length;
      n = Number(count[0]);
      this.expect(',');
    }
    const operands: PolicyNode[] = [];
    do {
      operands.push(this.node());
    } while (this.accept(','));
    this.expect(')');
    if (n === undefined) {
      n = gate === 'and' ? operands.length : 1;
    } else if (n < 1 || n > operands.length) {
      this.fail(`OutOf(${n}, ...) needs between 1 and ${operands.length} of its ${operands.length} operands`);
    }
    return { gate: { n, operands } };
  }

  private principal(quote: string): PolicyNode {
    const end = this.text.indexOf(quote, this.position + 1);
    if (end < 0) {
      this.fail('a quoted principal is not closed');
    }
    const body = this.text.slice(this.position + 1, end);
    const match = PRINCIPAL.exec(body);
    if (!match) {
      this.fail(`principal '${body}' must be 'MSPID.role', the MSP ID of letters, digits, '.' and '-', the role one of ${Object.keys(ROLE_NUMBERS).join(', ')}`);
    }
    this.position = end + 1;
    return { principal: { mspId: match[1], role: match[2] } };
  }

  private expect(token: string): void {
    if (!this.accept(token)) {
      this.fail(`expected "${token}"`);
    }
  }

  private accept(token: string): boolean {
    this.skipSpace();
    if (this.text.startsWith(token, this.position)) {
      this.position += token.length;
      return true;
    }
    return false;
  }

  private skipSpace(): void {
    while (this.position < this.text.length && /\s/.test(this.text[this.position])) {
      this.position++;
    }
  }

  private fail(problem: string): never {
    throw new Error(`signature policy "${this.text}" cannot be used at character ${this.position + 1}: ${problem}.`);
  }
}
