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
    const principals = new PolicyParser(expression).parse();
    return new SignaturePolicy(expression.trim(), principals);
  }

  private constructor(
    /** The expression as Fabric's tools take it. */
    public readonly expression: string,
    /** Every principal the expression names. */
    public readonly principals: PolicyPrincipal[],
  ) {}

  /** The MSP IDs the expression names, sorted and without repeats. */
  public get mspIds(): string[] {
    return [...new Set(this.principals.map((principal) => principal.mspId))].sort();
  }
}

/** How a chaincode's transactions must be endorsed. */
export class EndorsementPolicy {
  /** A signature policy over organizations and roles, for example `AND('Org1MSP.peer','Org2MSP.peer')`. */
  public static signature(expression: string): EndorsementPolicy {
    return new EndorsementPolicy(SignaturePolicy.parse(expression), undefined);
  }

  /** A policy of the channel config, by path. */
  public static channelConfig(path = '/Channel/Application/Endorsement'): EndorsementPolicy {
    if (!/^\/Channel\/[A-Za-z0-9/_-]+$/.test(path)) {
      throw new Error(`EndorsementPolicy: channel config policy "${path}" is not a policy path; use one like "/Channel/Application/Endorsement".`);
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

/** Recursive-descent parser of Fabric's signature policy language. */
class PolicyParser {
  private position = 0;
  private readonly principals: PolicyPrincipal[] = [];

  public constructor(private readonly text: string) {}

  public parse(): PolicyPrincipal[] {
    this.expression();
    this.skipSpace();
    if (this.position < this.text.length) {
      this.fail(`unexpected "${this.text.slice(this.position, this.position + 10)}"`);
    }
    return this.principals;
  }

  /** Parses one expression: a quoted principal, or an operator over sub-expressions. */
  private expression(): void {
    this.skipSpace();
    const quote = this.text[this.position];
    if (quote === '\'' || quote === '"') {
      this.principal(quote);
      return;
    }
    const operator = /^(AND|OR|OutOf)\s*\(/i.exec(this.text.slice(this.position));
    if (!operator) {
      this.fail('expected AND(...), OR(...), OutOf(n, ...) or a quoted principal such as \'Org1MSP.peer\'');
    }
    this.position += operator[0].length;
    let required: number | undefined;
    if (operator[1].toLowerCase() === 'outof') {
      required = this.integer();
      this.expect(',');
    }
    let operands = 0;
    do {
      this.expression();
      operands++;
      this.skipSpace();
    } while (this.accept(','));
    this.expect(')');
    if (required !== undefined && (required < 1 || required > operands)) {
      this.fail(`OutOf(${required}, ...) needs between 1 and ${operands} of its ${operands} operands`);
    }
  }

  private principal(quote: string): void {
    const end = this.text.indexOf(quote, this.position + 1);
    if (end < 0) {
      this.fail('a quoted principal is not closed');
    }
    const body = this.text.slice(this.position + 1, end);
    const dot = body.lastIndexOf('.');
    const mspId = body.slice(0, dot);
    const role = body.slice(dot + 1);
    if (dot <= 0 || !(ROLES as readonly string[]).includes(role)) {
      this.fail(`principal '${body}' must be 'MSPID.role' with role one of ${ROLES.join(', ')}`);
    }
    this.principals.push({ mspId, role: role as PolicyPrincipal['role'] });
    this.position = end + 1;
  }

  private integer(): number {
    this.skipSpace();
    const match = /^\d+/.exec(this.text.slice(this.position));
    if (!match) {
      this.fail('OutOf needs a whole number first');
    }
    this.position += match[0].length;
    return Number(match[0]);
  }

  private expect(token: string): void {
    this.skipSpace();
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
