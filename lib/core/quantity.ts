/**
 * Kubernetes resource quantities (`250m`, `1.5`, `512Mi`, `10Gi`, `1e3`), parsed the way the API
 * server parses them, so that a figure it would refuse, or read differently from what the user
 * meant, is refused at synth time.
 */
import { describeValue } from './props';

const BINARY_SUFFIXES: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL_SUFFIXES: Record<string, number> = { 'm': 1e-3, '': 1, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'P': 1e15, 'E': 1e18 };

/** `<sign><number><suffix>`, the suffix binary SI, decimal SI or a decimal exponent. */
const QUANTITY = /^([+-]?)(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|[mkMGTPE])?$/;

/** The value of Kubernetes quantity `text`, or undefined if it is not one. */
export function parseQuantity(text: string): number | undefined {
  const match = QUANTITY.exec(text);
  if (!match) {
    return undefined;
  }
  const [, sign, number, suffix = ''] = match;
  const magnitude = /^[eE][+-]?\d/.test(suffix)
    ? Number(`${number}e${suffix.slice(1)}`)
    : Number(number) * (BINARY_SUFFIXES[suffix] ?? DECIMAL_SUFFIXES[suffix]);
  return sign === '-' ? -magnitude : magnitude;
}

/** What a quantity measures, for the checks and the examples in messages. */
export enum QuantityKind {
  CPU = 'cpu',
  BYTES = 'bytes',
}

const EXAMPLES: Record<QuantityKind, string> = {
  [QuantityKind.CPU]: 'Write cores like "2" or "1.5", or millicores like "250m"',
  [QuantityKind.BYTES]: 'Write bytes with a binary suffix like "512Mi" or "10Gi" (Ki, Mi, Gi, Ti), or a decimal one like "500M" (k, M, G, T)',
};

/**
 * Checks that `value` is a Kubernetes quantity of `kind`: non-negative, positive unless `allowZero`,
 * and a whole number of bytes for `BYTES` (`512m` is half a byte, not 512 megabytes). Returns its value.
 */
export function checkQuantity(owner: string, prop: string, value: unknown, kind: QuantityKind, allowZero = false): number {
  if (typeof value !== 'string') {
    throw new Error(`${owner}: ${prop} must be a string, got ${describeValue(value)}. ${EXAMPLES[kind]}.`);
  }
  const amount = parseQuantity(value);
  if (amount === undefined || !Number.isFinite(amount)) {
    throw new Error(`${owner}: ${prop} "${value}" is not a Kubernetes ${kind === QuantityKind.CPU ? 'CPU' : 'byte'} quantity. ${EXAMPLES[kind]}.`);
  }
  if (amount < 0 || (amount === 0 && !allowZero)) {
    throw new Error(`${owner}: ${prop} "${value}" must be ${allowZero ? 'zero or more' : 'more than zero'}. ${EXAMPLES[kind]}.`);
  }
  if (kind === QuantityKind.BYTES && !Number.isInteger(amount)) {
    const hint = value.endsWith('m') ? ` ('m' means thousandths; for mebibytes write "${value.slice(0, -1)}Mi")` : '';
    throw new Error(`${owner}: ${prop} "${value}" is ${amount} bytes, not a whole number of bytes${hint}. ${EXAMPLES[kind]}.`);
  }
  return amount;
}
