import { describeValue } from '../core/props';

/** The rule of an implicit-meta policy: how many of the sub-policies below must agree. */
export enum ImplicitMetaRule {
  ANY = 'ANY',
  MAJORITY = 'MAJORITY',
  ALL = 'ALL',
}

const ROLES = ['member', 'admin', 'client', 'peer', 'orderer'] as const;

/** One principal of a signature policy, for example `'Org1MSP.peer'`. */
export interface PolicyPrincipal {
  readonly mspId: string;
  readonly role: typeof ROLES[number];
}

/** A parsed Fabric signature policy expression such as `OR('Org1MSP.peer', 'Org2MSP.peer')`. */
export class SignaturePolicy {
  /** Parses `expression`; throws with the position and the fix if it is not valid. */
  public static parse(expression: string): SignaturePolicy {
    if (typeof expression !== 'string') {
      throw new Error(`signature policy must be a string, got ${describeValue(expression)}. Write it like "OR('Org1MSP.peer','Org2MSP.peer')".`);
    }
    return new SignaturePolicy(expression.trim(), new PolicyParser(expression).parse());
  }

  private readonly _principals: PolicyPrincipal[];

  private constructor(
    /** The expression as Fabric's tools take it. */
    public readonly expression: string,
    /** @internal the parsed tree, which the chaincode definition renders as Fabric stores it. */
    public readonly _root: PolicyGate,
  ) {
    this._principals = principalsOf(_root);
  }

  /** Every principal the expression names, in the order written (a copy: the policy is its expression). */
  public get principals(): PolicyPrincipal[] {
    return this._principals.map((principal) => ({ ...principal }));
  }

  /** The MSP IDs the expression names, sorted and without repeats. */
  public get mspIds(): string[] {
    return [...new Set(this._principals.map((principal) => principal.mspId))].sort();
  }
}

function principalsOf(node: PolicyNode): PolicyPrincipal[] {
  return 'principal' in node ? [node.principal] : node.gate.operands.flatMap(principalsOf);
}

/** How a chaincode's transactions must be endorsed. */
export class EndorsementPolicy {
  /** A signature policy over organizations and roles, for example `AND('Org1MSP.peer','Org2MSP.peer')`. */
  public static signature(expression: string): EndorsementPolicy {
    return new EndorsementPolicy(SignaturePolicy.parse(expression), undefined);
  }

  /**
   * A policy of the channel config, by path, for example `/Channel/Application/Endorsement` or
   * `/Channel/Application/Org1MSP/Endorsement`. The chaincode checks that the channel has it.
   */
  public static channelConfig(path = '/Channel/Application/Endorsement'): EndorsementPolicy {
    if (typeof path !== 'string' || !/^\/Channel(\/[A-Za-z0-9._-]+)+$/.test(path)) {
      throw new Error(`EndorsementPolicy: channel config policy ${describeValue(path)} is not a policy path. Use one like "/Channel/Application/Endorsement" or "/Channel/Application/Org1MSP/Endorsement".`);
    }
    return new EndorsementPolicy(undefined, path);
  }

  private constructor(
    public readonly signaturePolicy: SignaturePolicy | undefined,
    public readonly channelConfigPolicy: string | undefined,
  ) {}

  /** The `peer lifecycle` flag and value that express this policy. */
  public get cliArguments(): string[] {
    return this.signaturePolicy
      ? ['--signature-policy', this.signaturePolicy.expression]
      : ['--channel-config-policy', this.channelConfigPolicy as string];
  }
}

/** The spellings of each gate Fabric's policy language knows (it is case-sensitive in these three forms). */
const GATES: Record<string, 'and' | 'or' | 'outof'> = {
  And: 'and', and: 'and', AND: 'and',
  Or: 'or', or: 'or', OR: 'or',
  OutOf: 'outof', outof: 'outof', OUTOF: 'outof',
};

/** A principal as the policy language accepts it: MSP ID of letters, digits, '.' and '-', then a role. */
const PRINCIPAL = /^([A-Za-z0-9.-]+)\.(admin|member|client|peer|orderer)$/;

/** A gate of a parsed policy: n of its operands must be satisfied. */
export interface PolicyGate {
  readonly gate: { readonly n: number; readonly operands: PolicyNode[] };
}

/** A node of a parsed policy: a gate, or one principal. */
export type PolicyNode = PolicyGate | { readonly principal: PolicyPrincipal };

/** Parser of Fabric's signature policy language into a tree, refusing what Fabric refuses. */
class PolicyParser {
  private position = 0;

  public constructor(private readonly text: string) {}

  public parse(): PolicyGate {
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
      this.fail(`principal '${body}' must be 'MSPID.role', the MSP ID of letters, digits, '.' and '-', the role one of ${ROLES.join(', ')}`);
    }
    this.position = end + 1;
    return { principal: { mspId: match[1], role: match[2] as PolicyPrincipal['role'] } };
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
    throw new Error(`signature policy "${this.text}" cannot be parsed at character ${this.position + 1}: ${problem}. Example of a valid policy: OR('Org1MSP.peer','Org2MSP.peer').`);
  }
}
