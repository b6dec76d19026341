import { App, Chart, Testing } from 'cdk8s';
import { FabricChart, Orderer, PeerOrg } from '../../lib';
import { network } from '../util';

describe('organizations', () => {
  test('GIVEN two orgs with one MSP ID WHEN created THEN the error names both and the fix', () => {
    const { chart } = network();
    expect(() => new PeerOrg(chart, 'org9', { mspId: 'Org1MSP' })).toThrow(/MSP ID "Org1MSP" is already used by net\/org1\. Every organization needs its own MSP ID/);
  });

  test('GIVEN two orgs with one name WHEN created THEN it is refused', () => {
    const { chart } = network();
    expect(() => new PeerOrg(chart, 'other', { mspId: 'OtherMSP', name: 'org1' })).toThrow(/organization name "org1" is already used/);
  });

  test.each([['Org1'], ['org_1'], ['1org'], ['org-'], ['a'.repeat(41)]])('GIVEN name %s WHEN used THEN it is refused as a DNS label', (name) => {
    const chart = new FabricChart(Testing.app(), 'net');
    expect(() => new PeerOrg(chart, 'x', { mspId: 'XMSP', name })).toThrow(/is not a valid DNS label/);
  });

  test('GIVEN an MSP ID with spaces WHEN used THEN it is refused', () => {
    const chart = new FabricChart(Testing.app(), 'net');
    expect(() => new PeerOrg(chart, 'x', { mspId: 'Org 1' })).toThrow(/mspId "Org 1" is not valid/);
  });

  test.each([[0], [-1], [1.5]])('GIVEN %s peers or consenters WHEN created THEN it is refused', (count) => {
    const chart = new FabricChart(Testing.app(), 'net');
    expect(() => new PeerOrg(chart, 'org1', { mspId: 'Org1MSP', peers: count })).toThrow(/peers must be a whole number of at least 1/);
    expect(() => new Orderer(chart, 'ord', { mspId: 'OrdMSP', consenters: count })).toThrow(/consenters must be a whole number of at least 1/);
  });

  test('GIVEN an anchor peer index past the last peer WHEN created THEN the error gives the valid range', () => {
    const chart = new FabricChart(Testing.app(), 'net');
    expect(() => new PeerOrg(chart, 'org1', { mspId: 'Org1MSP', peers: 2, anchorPeers: [2] })).toThrow(/anchor peer index 2 does not exist; the organization has peers 0 to 1/);
  });

  test('GIVEN a user named admin or listed twice WHEN created THEN it is refused', () => {
    const chart = new FabricChart(Testing.app(), 'net');
    expect(() => new PeerOrg(chart, 'org1', { mspId: 'Org1MSP', users: ['admin'] })).toThrow(/clashes with the admin identity/);
    expect(() => new PeerOrg(chart, 'org2', { mspId: 'Org2MSP', users: ['app', 'app'] })).toThrow(/listed twice/);
  });

  test('GIVEN a CPU request above 500m WHEN created THEN it is refused with the fix', () => {
    const chart = new FabricChart(Testing.app(), 'net');
    expect(() => new PeerOrg(chart, 'org1', { mspId: 'Org1MSP', resources: { cpuRequest: '2' } })).toThrow(/cpuRequest 2 is above 500m/);
  });

  test('GIVEN a construct outside a FabricChart WHEN created THEN the error says to use one', () => {
    const chart = new Chart(new App(), 'plain');
    expect(() => new PeerOrg(chart, 'org1', { mspId: 'Org1MSP' })).toThrow(/must be created inside a FabricChart/);
  });
});
