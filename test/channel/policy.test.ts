import { SignaturePolicy } from '../../lib';

describe('SignaturePolicy', () => {
  test('GIVEN a parsed policy WHEN a caller changes the principals it read THEN the policy and its MSP IDs stay as written', () => {
    const policy = SignaturePolicy.parse("AND('Org1MSP.peer','Org2MSP.member')");
    const principals = policy.principals;
    principals.push({ mspId: 'Org9MSP', role: 'admin' });
    principals[0] = { mspId: 'Org8MSP', role: 'peer' };
    expect(policy.principals).toEqual([{ mspId: 'Org1MSP', role: 'peer' }, { mspId: 'Org2MSP', role: 'member' }]);
    expect(policy.mspIds).toEqual(['Org1MSP', 'Org2MSP']);
  });
});
