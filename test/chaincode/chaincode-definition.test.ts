import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChaincodeDefinitionJson, DefinitionInput, mspRole, renderDefinition, signaturePolicyEnvelope } from '../../lib/chaincode/chaincode-definition';
import { scriptFolder, toolPath } from '../internal/script-runner';

/**
 * The fixtures in fixtures/fabric-2.5.9 are what Fabric 2.5.9's own code prints for the inputs
 * below: the peer CLI's querycommitted / queryapproved JSON (Fabric's lifecycle result messages
 * through the CLI's encoding/json output, with the policy built by Fabric's policydsl and the
 * collections by the CLI's collection config parser), and configtxlator 2.5.9's
 * `proto_decode --type protos.ApplicationPolicy` of each validation_parameter.
 */
const FIXTURES = join(__dirname, 'fixtures', 'fabric-2.5.9');

const collections = [
  { name: 'claimsPrivate', policy: "OR('BankMSP.member','InsurerMSP.member')", requiredPeerCount: 0, maxPeerCount: 1, blockToLive: 0, memberOnlyRead: true, memberOnlyWrite: true },
  { name: 'audit_2', policy: "OR('BankMSP.member')", requiredPeerCount: 1, maxPeerCount: 3, blockToLive: 100, memberOnlyRead: false, memberOnlyWrite: false },
];

const CASES: Record<string, DefinitionInput> = {
  'default-policy': { version: '1.0', initRequired: false, collections: [] },
  'or-two': { version: '1.0', initRequired: true, signaturePolicy: "OR('Org1MSP.peer','Org2MSP.peer')", collections: [] },
  'nested': { version: '2.1', initRequired: false, signaturePolicy: "AND('Org1MSP.member', OR('Org2MSP.peer', 'Org3MSP.admin'), OutOf(1, 'Org1MSP.client', \"Org2MSP.orderer\"), 'Org3MSP.peer')", collections: [] },
  'deep': { version: '3', initRequired: false, signaturePolicy: "OR(AND('A.peer', OR('B.peer')), 'C.admin', AND('A.member','B-1.x.member'), outof(2, 'A.client', and('B.peer', 'C.orderer'), 'C.peer'))", collections: [] },
  'collections': { version: '2.1', initRequired: false, signaturePolicy: "AND('BankMSP.peer', 'InsurerMSP.peer')", collections },
  'channel-ref': { version: '1.0', initRequired: false, channelConfigPolicy: '/Channel/Application/Readers', collections: [] },
};

function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/**
 * Runs chaincode.sh's cc_canonical on a fixture answer, with a configtxlator that answers with
 * the real decoded fixture and records the bytes it was given.
 */
function canonical(answerFile: string, decodedFile: string): { definition: ChaincodeDefinitionJson; decodedInput: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hyperkube-canonical-'));
  writeFileSync(join(dir, 'configtxlator'), [
    '#!/usr/bin/env bash',
    'while (($#)); do if [[ "$1" == --input ]]; then base64 -w0 <"$2" >"$(dirname "$0")/decoder-input"; fi; shift; done',
    `cat "${join(FIXTURES, decodedFile)}"`,
  ].join('\n'));
  chmodSync(join(dir, 'configtxlator'), 0o755);
  const result = spawnSync('bash', ['-c', 'source "$0/common.sh"; source "$0/chaincode.sh"; cc_canonical "$1"', scriptFolder(), join(FIXTURES, answerFile)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: `${dir}:${toolPath()}`, WORK_DIR: dir },
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return { definition: JSON.parse(result.stdout), decodedInput: readFileSync(join(dir, 'decoder-input'), 'utf8') };
}

function differences(from: ChaincodeDefinitionJson, to: ChaincodeDefinitionJson): string {
  const result = spawnSync('bash', ['-c', 'source "$0/common.sh"; source "$0/chaincode.sh"; cc_differences "$1" "$2"', scriptFolder(), JSON.stringify(from), JSON.stringify(to)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: toolPath(), WORK_DIR: tmpdir() },
  });
  expect(result.stderr).toBe('');
  return result.stdout.trim();
}

describe('the definition the chaincode Jobs compare', () => {
  test.each(Object.keys(CASES))('GIVEN Fabric 2.5.9\'s querycommitted answer for case %s WHEN the Job brings it to the compared shape THEN it equals what the chart renders', (name) => {
    const committed = canonical(`${name}.querycommitted.json`, `${name}.decoded.json`);
    expect(committed.definition).toEqual(renderDefinition(CASES[name]));
    expect(committed.decodedInput).toBe(JSON.parse(fixture(`${name}.querycommitted.json`)).validation_parameter);
  });

  test.each(Object.keys(CASES))('GIVEN Fabric 2.5.9\'s queryapproved answer for case %s WHEN brought to the compared shape THEN it equals what the chart renders', (name) => {
    expect(canonical(`${name}.queryapproved.json`, `${name}.decoded.json`).definition).toEqual(renderDefinition(CASES[name]));
  });

  test('GIVEN two cases that differ only in the policy, or only in a collection WHEN compared THEN they differ', () => {
    const orTwo = renderDefinition(CASES['or-two']);
    expect(renderDefinition({ ...CASES['or-two'], signaturePolicy: "OR('Org2MSP.peer','Org1MSP.peer')" })).not.toEqual(orTwo);
    const withCollections = renderDefinition(CASES.collections);
    expect(renderDefinition({ ...CASES.collections, collections: [collections[0], { ...collections[1], blockToLive: 101 }] })).not.toEqual(withCollections);
    expect(renderDefinition({ ...CASES.collections, collections: [collections[1], collections[0]] })).not.toEqual(withCollections);
  });

  test('GIVEN Fabric 2.5.9 queryapproved answers WHEN the package is read from them THEN it is the package approved, or none', () => {
    expect(JSON.parse(fixture('or-two.queryapproved.json')).source.Type.LocalPackage.package_id).toBe('basic_1.0:0123abcd');
    expect(JSON.parse(fixture('unavailable.queryapproved.json')).source.Type.LocalPackage).toBeUndefined();
  });

  test('GIVEN principals of every role WHEN serialized THEN the bytes are the MSPRole bytes Fabric wrote', () => {
    const identities = JSON.parse(fixture('nested.decoded.json')).signature_policy.identities.map((identity: any) => identity.principal);
    expect([mspRole('Org2MSP', 'peer'), mspRole('Org3MSP', 'admin'), mspRole('Org1MSP', 'client'), mspRole('Org2MSP', 'orderer'), mspRole('Org1MSP', 'member'), mspRole('Org3MSP', 'peer')])
      .toEqual(identities);
    expect(Buffer.from(mspRole('O'.repeat(200), 'peer'), 'base64').subarray(0, 3)).toEqual(Buffer.from([0x0a, 0xc8, 0x01]));
  });

  test('GIVEN a changed policy, version and collection WHEN the Job describes the change THEN it names each in words', () => {
    const from = renderDefinition(CASES.collections);
    const to = renderDefinition({ ...CASES.collections, version: '2.2', signaturePolicy: "OR('BankMSP.peer', OutOf(1, 'InsurerMSP.admin'))", collections: [collections[0]] });
    const text = differences(from, to);
    expect(text).toContain("version 2.1 -> 2.2");
    expect(text).toContain("endorsement policy OutOf(2, 'BankMSP.peer', 'InsurerMSP.peer') -> OutOf(1, 'BankMSP.peer', OutOf(1, 'InsurerMSP.admin'))");
    expect(text).toContain("collections [claimsPrivate (members OutOf(1, 'BankMSP.member', 'InsurerMSP.member'), peers 0..1, blockToLive 0, memberOnlyRead true, memberOnlyWrite true); audit_2");
    expect(differences(from, renderDefinition({ ...CASES.collections, signaturePolicy: undefined }))).toBe("endorsement policy OutOf(2, 'BankMSP.peer', 'InsurerMSP.peer') -> /Channel/Application/Endorsement");
  });

  test.each([
    ["'Org1MSP.peer'", /Fabric does not accept a lone principal/],
    ["oR('Org1MSP.peer')", /expected AND\(\.\.\.\), OR\(\.\.\.\)/],
    ["OR('Org 1.peer')", /principal 'Org 1.peer' must be 'MSPID.role'/],
    ["OutOf(3, 'A.peer', 'B.peer')", /OutOf\(3, \.\.\.\) needs between 1 and 2/],
    ["OR('A.peer'", /expected "\)"/],
  ])('GIVEN the policy %s, which Fabric\'s parser refuses WHEN rendered THEN it is refused with the position', (expression, message) => {
    expect(() => signaturePolicyEnvelope(expression)).toThrow(message);
  });
});
