import { parseByteSize, validateFabricVersion, validateLogSpec } from '../../lib/core/fabric-values';
import { chaincodeServerName, kubernetesName, parseImageReference } from '../../lib/core/naming';
import { parseQuantity } from '../../lib/core/quantity';

describe('byte sizes, as configtxgen reads them', () => {
  // The table of Fabric 2.5's own test of its byte-size decoding (common/viperutil, TestByteSize).
  test.each([
    ['42', 42], ['42k', 42 * 1024], ['42kb', 42 * 1024], ['42K', 42 * 1024], ['42KB', 42 * 1024], ['42 K', 42 * 1024], ['42 KB', 42 * 1024],
    ['42m', 42 * 2 ** 20], ['42mb', 42 * 2 ** 20], ['42M', 42 * 2 ** 20], ['42MB', 42 * 2 ** 20], ['42 M', 42 * 2 ** 20], ['42 MB', 42 * 2 ** 20],
    ['3g', 3 * 2 ** 30], ['3gb', 3 * 2 ** 30], ['3G', 3 * 2 ** 30], ['3GB', 3 * 2 ** 30], ['3 G', 3 * 2 ** 30], ['3 GB', 3 * 2 ** 30],
  ])('GIVEN %p, from Fabric\'s own table WHEN parsed THEN it is %p bytes', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });

  test.each([['0x2A', 42], ['0o52', 42], ['052', 42], ['0b101010', 42], ['4_2', 42], ['0x_2A', 42], ['042 KB', 34 * 1024], ['42\tMB', 42 * 2 ** 20], ['42kB', 42 * 1024]])('GIVEN %p, which Go\'s base-0 number syntax reads WHEN parsed THEN it is %p bytes', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });

  test.each([['42 B'], ['42 KiB'], ['4.2 MB'], ['08'], ['09 MB'], ['_42'], ['42_'], ['4__2'], ['0x'], ['MB'], ['-1'], [' 42']])('GIVEN %p, which configtxgen refuses WHEN parsed THEN it is not a size', (text) => {
    expect(parseByteSize(text)).toBeUndefined();
  });
});

describe('Kubernetes quantities', () => {
  test.each([['250m', 0.25], ['1', 1], ['1.5', 1.5], ['.5', 0.5], ['5.', 5], ['+2', 2], ['1Ki', 1024], ['1Mi', 2 ** 20], ['2G', 2e9], ['1e3', 1000], ['1E3', 1000], ['1E', 1e18], ['1e-3', 0.001], ['-1', -1]])('GIVEN %p WHEN parsed THEN it is %p', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value);
  });

  test.each([['1GB'], ['1 Gi'], ['Gi'], ['1.2.3'], ['1e'], ['1ki'], ['2e3m'], [''], ['.'], ['1KiB']])('GIVEN %p WHEN parsed THEN it is not a quantity', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });
});

describe('log specs and versions', () => {
  test('GIVEN Fabric\'s spec forms WHEN checked THEN they are returned as given', () => {
    for (const spec of ['info', 'DEBUG', 'payload', 'DPANIC', 'notice', 'critical', 'a.b.=debug:c#1,d_2-x=error:warn', '::info']) {
      expect(validateLogSpec('Peer p', spec)).toBe(spec);
    }
  });

  test('GIVEN a version WHEN checked THEN only 2.5 releases pass', () => {
    expect(validateFabricVersion('FabricChart net', '2.5.10')).toBe('2.5.10');
    expect(() => validateFabricVersion('FabricChart net', '2.50.1')).toThrow(/is not supported/);
    expect(() => validateFabricVersion('FabricChart net', '2.5.09')).toThrow(/is not a Fabric version|not supported/);
  });
});

describe('derived Kubernetes names', () => {
  test('GIVEN names that are DNS labels WHEN derived THEN they are kept; GIVEN others THEN a hash of the original keeps them apart', () => {
    expect(kubernetesName('mychannel')).toBe('mychannel');
    expect(kubernetesName('a.b')).not.toBe(kubernetesName('a-b'));
    expect(kubernetesName('a.b')).toMatch(/^a-b-[0-9a-f]{8}$/);
    expect(kubernetesName('My_CC')).not.toBe(kubernetesName('my-cc'));
    expect(kubernetesName('9lives')).toMatch(/^lives-[0-9a-f]{8}$/);
    expect(kubernetesName('x'.repeat(100))).toHaveLength(63);
    expect(kubernetesName(`${'x'.repeat(100)}1`)).not.toBe(kubernetesName(`${'x'.repeat(100)}2`));
  });

  test('GIVEN a chaincode server name past 63 characters WHEN derived THEN it is cut, ends in a hash and the revision, and stays a DNS label', () => {
    const name = chaincodeServerName('a'.repeat(50), 'mychannel', 'org1', 'abc123');
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^cc-a+-[0-9a-f]{8}-abc123$/);
    expect(chaincodeServerName('a'.repeat(50), 'mychannel', 'org2', 'abc123')).not.toBe(name);
    expect(chaincodeServerName('a'.repeat(50), 'mychannel', 'org1', 'def456')).not.toBe(name);
  });

  test('GIVEN a short chaincode server name WHEN derived THEN it reads chaincode, channel, org and revision', () => {
    expect(chaincodeServerName('basic', 'mychannel', 'org1', 'abc123')).toBe('cc-basic-mychannel-org1-abc123');
  });

  test('GIVEN image references WHEN parsed THEN registry, path, tag and digest are told apart as runtimes do', () => {
    expect(parseImageReference('localhost:5000/team/app:1.0')).toEqual({ domain: 'localhost:5000', path: 'team/app', tag: '1.0', digest: undefined });
    expect(parseImageReference('team/app')).toEqual({ domain: undefined, path: 'team/app', tag: undefined, digest: undefined });
    expect(parseImageReference('localhost/app:1')?.domain).toBe('localhost');
    expect(parseImageReference('Team/app:1')).toBeUndefined();
    expect(parseImageReference(`app@sha512:${'a'.repeat(128)}`)?.digest).toBe(`sha512:${'a'.repeat(128)}`);
    expect(parseImageReference(`app@sha256:${'A'.repeat(64)}`)).toBeUndefined();
  });
});
