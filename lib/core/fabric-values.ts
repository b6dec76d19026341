/**
 * Strings the user writes that Fabric itself reads: versions, log specs and byte sizes. Each is
 * checked against the rule in Fabric 2.5's own code, so that what Fabric accepts is accepted here
 * and what it refuses (or a node would crash on) is refused at synth time.
 */
import { describeValue, requireString } from './props';

/**
 * The levels Fabric's logging accepts (common/flogging): all lower case or all upper case, and
 * `warning` beside `warn`. `Info` is refused by Fabric, so here too.
 */
const LOG_LEVELS = ['payload', 'debug', 'info', 'warn', 'warning', 'error', 'dpanic', 'panic', 'fatal', 'notice', 'critical'];
/** A logger name of a log spec (common/flogging), a trailing '.' meaning "exactly this logger". */
const LOGGER_NAME = /^[A-Za-z0-9_#:-]+(\.[A-Za-z0-9_#:-]+)*$/;

function isLogLevel(level: string): boolean {
  return LOG_LEVELS.includes(level) || LOG_LEVELS.map((name) => name.toUpperCase()).includes(level);
}

/**
 * Throws unless `value` is a `FABRIC_LOGGING_SPEC` Fabric accepts: segments separated by ':',
 * each a level (`info`) or loggers and a level (`gossip,msp=debug`). A spec Fabric refuses makes
 * the peer or orderer exit at start.
 */
export function validateLogSpec(owner: string, value: unknown): string {
  const spec = requireString(owner, 'logSpec', value, 'info:gossip=warn');
  const fail = (problem: string): never => {
    throw new Error(`${owner}: logSpec "${spec}" is not a Fabric log spec: ${problem}. Write a level, or loggers=level segments joined by ':', with levels in lower or upper case: debug, info, warn (warning), error, panic, fatal (for example "info" or "info:gossip,msp=debug").`);
  };
  for (const segment of spec.split(':')) {
    const parts = segment.split('=');
    if (parts.length === 1) {
      if (segment !== '' && !isLogLevel(segment)) {
        fail(`"${segment}" is not a level`);
      }
    } else if (parts.length === 2) {
      const [loggers, level] = parts;
      if (loggers === '') {
        fail(`segment "${segment}" names no logger`);
      }
      if (!isLogLevel(level)) {
        fail(`"${level}" in segment "${segment}" is not a level`);
      }
      for (const logger of loggers.split(',')) {
        if (!LOGGER_NAME.test(logger.endsWith('.') ? logger.slice(0, -1) : logger)) {
          fail(`"${logger}" is not a logger name`);
        }
      }
    } else {
      fail(`segment "${segment}" has more than one '='`);
    }
  }
  return spec;
}

/** Fabric releases Hyperkube supports: 2.5.x (and its pre-releases), or the `2.5` line tag. */
const SUPPORTED_VERSION = /^2\.5(\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?)?$/;
const VERSION = /^v?(\d+)\.(\d+)(\.\d+)?(-[0-9A-Za-z.-]+)?$/;

/** Throws unless `value` is a Fabric version Hyperkube supports (2.5.x). */
export function validateFabricVersion(owner: string, value: unknown): string {
  const version = requireString(owner, 'fabricVersion', value, '2.5.9');
  if (SUPPORTED_VERSION.test(version)) {
    return version;
  }
  const match = VERSION.exec(version);
  if (!match) {
    throw new Error(`${owner}: fabricVersion "${version}" is not a Fabric version. Write a 2.5 release as major.minor.patch (for example "2.5.9").`);
  }
  const major = Number(match[1]);
  if (version.startsWith('v')) {
    throw new Error(`${owner}: fabricVersion "${version}" starts with 'v', but the Fabric images are tagged without it. Write "${version.slice(1)}".`);
  }
  if (major >= 3) {
    throw new Error(`${owner}: fabricVersion "${version}" is not supported yet. Fabric 3 publishes no tools image, which every Hyperkube Job runs, and its orderers need BFT, which Hyperkube does not build yet. Use a 2.5 release (for example "2.5.9").`);
  }
  throw new Error(`${owner}: fabricVersion "${version}" is not supported. Hyperkube needs Fabric 2.5 (channel participation without a system channel, the chaincode lifecycle, the CCaaS builder). Use a 2.5 release (for example "2.5.9").`);
}

/**
 * How configtxgen reads a byte size (common/viperutil, Fabric 2.5): digits, optional space, then
 * k, m or g with an optional b, in any case (`512 KB`, `99MB`, `1g`); or a bare unsigned number in
 * Go syntax (`1048576`, `0x100000`). Powers of 1024; at most 2^32-1 bytes.
 */
const SIZE_WITH_UNIT = /^([0-9]+)[\t\n\f\r ]*([kmgKMG])[bB]?$/;

/** The byte count of `text` as configtxgen reads it, or undefined if configtxgen refuses it. */
export function parseByteSize(text: string): number | undefined {
  const withUnit = SIZE_WITH_UNIT.exec(text);
  if (withUnit) {
    const amount = parseGoUnsigned(withUnit[1]);
    if (amount === undefined) {
      return undefined;
    }
    return amount * 1024 ** ('kmg'.indexOf(withUnit[2].toLowerCase()) + 1);
  }
  return parseGoUnsigned(text === '' ? '0' : text);
}

/** `strconv.ParseUint(text, 0, 64)`: decimal, 0x hex, 0o or leading-0 octal, 0b binary, '_' between digits. */
function parseGoUnsigned(text: string): number | undefined {
  const prefixed = /^0([xXoObB])(.*)$/.exec(text);
  let base = 10;
  let digits = text;
  if (prefixed) {
    base = { x: 16, o: 8, b: 2 }[prefixed[1].toLowerCase() as 'x' | 'o' | 'b'];
    digits = prefixed[2].startsWith('_') ? prefixed[2].slice(1) : prefixed[2];
  } else if (text.length > 1 && text.startsWith('0')) {
    base = 8;
    digits = text.slice(1).startsWith('_') ? text.slice(2) : text.slice(1);
  }
  const digit = { 2: '[01]', 8: '[0-7]', 10: '[0-9]', 16: '[0-9a-fA-F]' }[base];
  if (!new RegExp(`^${digit}+(_${digit}+)*$`).test(digits)) {
    return undefined;
  }
  return parseInt(digits.replace(/_/g, ''), base);
}

/**
 * Throws unless `value` is a byte size configtxgen reads, more than zero and at most 2^32-1 bytes
 * (Fabric keeps it in a uint32, and an orderer refuses 0). Returns the byte count.
 */
export function checkByteSize(owner: string, prop: string, value: unknown): number {
  if (typeof value !== 'string') {
    throw new Error(`${owner}: ${prop} must be a string, got ${describeValue(value)}. Write it like "512 KB" or "99 MB".`);
  }
  const bytes = parseByteSize(value);
  if (bytes === undefined) {
    throw new Error(`${owner}: ${prop} "${value}" is not a size configtxgen reads. Write a whole number, optionally followed by KB, MB or GB (any case, space optional, B optional), for example "512 KB" or "99MB".`);
  }
  if (bytes === 0 || bytes > 2 ** 32 - 1) {
    throw new Error(`${owner}: ${prop} "${value}" is ${bytes} bytes; Fabric needs more than 0 and at most 4294967295 (just under 4 GB). Write a size in that range, for example "99 MB".`);
  }
  return bytes;
}
