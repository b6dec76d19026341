import { App, Chart, Duration, Testing } from 'cdk8s';
import { Channel, ExternalChaincode, FabricCa, FabricChart, GeneratedIdentities, Orderer, PeerOrg, PeerOrgProps, StateDatabase } from '../../lib';
import { find, IMAGE, KubeObject, network, podSpec, testChart } from '../util';

/** Synthesizes a chart holding only PeerOrg org1 with `props`. */
function synthOrg(props: Partial<PeerOrgProps>): KubeObject[] {
  const chart = testChart();
  new PeerOrg(chart, 'org1', { mspId: 'Org1MSP', ...props });
  return Testing.synth(chart) as KubeObject[];
}

/** The peer container of org1-peer0 in `objects`. */
function peerContainer(objects: KubeObject[]): any {
  return podSpec(find(objects, 'StatefulSet', 'org1-peer0')).containers[0];
}

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
    const chart = testChart();
    expect(() => new PeerOrg(chart, 'x', { mspId: 'XMSP', name })).toThrow(/PeerOrg x: name ".*" is not a valid DNS label. Use 1-40 lowercase letters/);
  });

  test('GIVEN a construct id that is not a DNS label and no name WHEN created THEN the error says the name comes from the id', () => {
    expect(() => new PeerOrg(testChart(), 'Org1', { mspId: 'Org1MSP' })).toThrow('PeerOrg Org1: name (the construct id unless given) "Org1" is not a valid DNS label');
  });

  test.each([['Org 1'], ['Org_1'], ['.'], ['..'], ['Org1MSP!'], [''], ['a'.repeat(250)]])('GIVEN MSP ID %p, which Fabric refuses as a config group key, WHEN used THEN it is refused with the characters allowed', (mspId) => {
    expect(() => new PeerOrg(testChart(), 'x', { mspId })).toThrow(/^PeerOrg x: mspId ".*" is not valid. Fabric names the organization's channel config group after it: use 1-249 letters, digits, '.' or '-' \(no '_' or spaces\)/);
  });

  test.each([['1stMSP'], ['org1.example.com'], ['Org-1'], ['ORG1'], ['a'.repeat(249)]])('GIVEN MSP ID %p, which Fabric accepts, WHEN used THEN it is accepted and reaches the peers', (mspId) => {
    const objects = synthOrg({ mspId });
    expect(peerContainer(objects).env).toContainEqual({ name: 'CORE_PEER_LOCALMSPID', value: mspId });
  });

  test.each([[0], [-1], [1.5]])('GIVEN %s peers or consenters WHEN created THEN it is refused', (count) => {
    const chart = testChart();
    expect(() => new PeerOrg(chart, 'org1', { mspId: 'Org1MSP', peers: count })).toThrow(`PeerOrg org1: peers must be a whole number of at least 1, got number ${count}.`);
    expect(() => new Orderer(chart, 'ord', { mspId: 'OrdMSP', consenters: count })).toThrow(`Orderer ord: consenters must be a whole number of at least 1, got number ${count}.`);
  });

  test('GIVEN an anchor peer index past the last peer WHEN created THEN the error gives the valid range', () => {
    const chart = testChart();
    expect(() => new PeerOrg(chart, 'org1', { mspId: 'Org1MSP', peers: 2, anchorPeers: [2] })).toThrow(/anchor peer index 2 does not exist; the organization has peers 0 to 1/);
  });

  test('GIVEN a user named admin or listed twice WHEN created THEN it is refused', () => {
    const chart = testChart();
    expect(() => new PeerOrg(chart, 'org1', { mspId: 'Org1MSP', users: ['admin'] })).toThrow(/clashes with the admin identity/);
    expect(() => new PeerOrg(chart, 'org2', { mspId: 'Org2MSP', users: ['app', 'app'] })).toThrow(/listed twice/);
  });

  test('GIVEN a construct outside a FabricChart WHEN created THEN the error says to use one', () => {
    const chart = new Chart(new App(), 'plain');
    expect(() => new PeerOrg(chart, 'org1', { mspId: 'Org1MSP' })).toThrow(/must be created inside a FabricChart/);
  });
});

describe('organization sizes and strings (free-form strings that reach the manifests)', () => {
  test('GIVEN production sizing (2 cores requested, 4 allowed, 8Gi, 500Gi ledger) WHEN created THEN it is accepted as written', () => {
    const objects = synthOrg({ resources: { cpuRequest: '2', cpuLimit: '4', memoryRequest: '8Gi', memoryLimit: '16Gi' }, storage: '500Gi' });
    expect(peerContainer(objects).resources).toEqual({ requests: { cpu: '2', memory: '8Gi' }, limits: { cpu: '4', memory: '16Gi' } });
    expect(find(objects, 'StatefulSet', 'org1-peer0').spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('500Gi');
  });

  test.each([['1.5'], ['1500m'], ['1e0'], ['.5'], ['0.25']])('GIVEN the CPU quantity %s WHEN used as a request THEN it is accepted', (cpuRequest) => {
    expect(peerContainer(synthOrg({ resources: { cpuRequest, cpuLimit: '2' } })).resources.requests.cpu).toBe(cpuRequest);
  });

  test('GIVEN a CPU request above the default limit WHEN created THEN the error names the prop, the default limit and the fix', () => {
    expect(() => synthOrg({ resources: { cpuRequest: '2' } }))
      .toThrow('PeerOrg org1: resources.cpuRequest "2" is above resources.cpuLimit "1" (the default); Kubernetes refuses a request above its limit. Raise cpuLimit to at least "2", or lower cpuRequest.');
  });

  test('GIVEN a memory request above the given limit WHEN created THEN it is refused without blaming a default', () => {
    expect(() => new Orderer(testChart(), 'ord', { mspId: 'OrdMSP', resources: { memoryRequest: '2Gi', memoryLimit: '1Gi' } }))
      .toThrow('Orderer ord: resources.memoryRequest "2Gi" is above resources.memoryLimit "1Gi"; Kubernetes refuses a request above its limit. Raise memoryLimit to at least "2Gi", or lower memoryRequest.');
  });

  test.each([
    ['cpuRequest', '2 cores', /resources.cpuRequest "2 cores" is not a Kubernetes CPU quantity. Write cores like "2" or "1.5", or millicores like "250m"./],
    ['cpuLimit', '1.5.0', /resources.cpuLimit "1.5.0" is not a Kubernetes CPU quantity/],
    ['memoryLimit', '1GB', /resources.memoryLimit "1GB" is not a Kubernetes byte quantity. Write bytes with a binary suffix like "512Mi"/],
    ['memoryRequest', '512m', /resources.memoryRequest "512m" is 0.512 bytes, not a whole number of bytes \('m' means thousandths; for mebibytes write "512Mi"\)/],
    ['cpuLimit', '-1', /resources.cpuLimit "-1" must be more than zero/],
    ['memoryLimit', '0', /resources.memoryLimit "0" must be more than zero/],
  ])('GIVEN resources.%s %p WHEN created THEN the error names the construct, the prop, the value and how to write it', (prop, value, message) => {
    expect(() => synthOrg({ resources: { [prop]: value } })).toThrow(message);
  });

  test.each([['10GB', /storage "10GB" is not a Kubernetes byte quantity/], ['0', /storage "0" must be more than zero/], ['1.1Gi', /storage "1.1Gi" is .* bytes, not a whole number of bytes/]])('GIVEN storage %p WHEN created THEN it is refused with how to write it', (storage, message) => {
    expect(() => synthOrg({ storage })).toThrow(message);
    expect(() => new Orderer(testChart(), 'ord', { mspId: 'OrdMSP', storage })).toThrow(message);
  });

  test.each([['INFO'], ['info'], ['WARNING'], ['debug:gossip=warn'], ['gossip,msp=DEBUG:ERROR'], ['grpc.=error:info'], ['']])('GIVEN the log spec %p, which Fabric accepts, WHEN used THEN it reaches FABRIC_LOGGING_SPEC', (logSpec) => {
    const env = peerContainer(synthOrg({ logSpec })).env;
    expect(env).toContainEqual(logSpec === '' ? { name: 'FABRIC_LOGGING_SPEC' } : { name: 'FABRIC_LOGGING_SPEC', value: logSpec });
  });

  test.each([
    ['Info', '"Info" is not a level'],
    ['verbose', '"verbose" is not a level'],
    ['gossip=', '"" in segment "gossip=" is not a level'],
    ['=debug', 'segment "=debug" names no logger'],
    ['a=b=debug', 'segment "a=b=debug" has more than one \'=\''],
    ['gos sip=debug', '"gos sip" is not a logger name'],
  ])('GIVEN the log spec %p, on which a Fabric node would exit, WHEN used THEN it is refused saying why', (logSpec, problem) => {
    expect(() => synthOrg({ logSpec })).toThrow(`PeerOrg org1: logSpec "${logSpec}" is not a Fabric log spec: ${problem}. Write a level, or loggers=level segments`);
    expect(() => new Orderer(testChart(), 'ord', { mspId: 'OrdMSP', logSpec })).toThrow(`Orderer ord: logSpec "${logSpec}" is not a Fabric log spec`);
  });
});

describe('organization props from plain JavaScript', () => {
  const chart = () => testChart();

  test.each([
    ['no props', undefined, 'PeerOrg x: props are missing. Pass an object with at least mspId.'],
    ['props as a string', 'Org1MSP', 'PeerOrg x: props must be an object, got "Org1MSP". Pass them as { ... }.'],
    ['no mspId', {}, 'PeerOrg x: mspId is required but missing. Give it in the props.'],
    ['a numeric mspId', { mspId: 1 }, 'PeerOrg x: mspId must be a string, got number 1. Write it like "Org1MSP".'],
    ['a string count', { mspId: 'XMSP', peers: '2' }, 'PeerOrg x: peers must be a whole number of at least 1, got "2".'],
    ['a string anchor index', { mspId: 'XMSP', anchorPeers: ['0'] }, 'PeerOrg x: anchorPeers[0] must be a whole number of at least 0, got "0".'],
    ['anchor peers as a number', { mspId: 'XMSP', anchorPeers: 0 }, 'PeerOrg x: anchorPeers must be an array, got number 0. Write it as [ ... ].'],
    ['users as a string', { mspId: 'XMSP', users: 'app' }, 'PeerOrg x: users must be an array, got "app".'],
    ['undefined in users', { mspId: 'XMSP', users: ['app', undefined] }, 'PeerOrg x: users[1] must be a string, got undefined.'],
    ['a state database by its name', { mspId: 'XMSP', stateDatabase: 'couchdb' }, 'PeerOrg x: stateDatabase is "couchdb", which is not one of StateDatabase.LEVELDB, StateDatabase.COUCHDB. Use one of those.'],
    ['a numeric CPU request', { mspId: 'XMSP', resources: { cpuRequest: 1 } }, 'PeerOrg x: resources.cpuRequest must be a string, got number 1.'],
    ['resources as a string', { mspId: 'XMSP', resources: '1' }, 'PeerOrg x: resources must be an object, got "1".'],
    ['a numeric storage', { mspId: 'XMSP', storage: 10 }, 'PeerOrg x: storage must be a string, got number 10.'],
    ['a numeric log spec', { mspId: 'XMSP', logSpec: 3 }, 'PeerOrg x: logSpec must be a string, got number 3.'],
  ])('GIVEN %s WHEN a PeerOrg is made THEN the error names the construct and the prop, never a TypeError', (_case, props, message) => {
    let error: Error | undefined;
    try {
      new PeerOrg(chart(), 'x', props as any);
    } catch (caught) {
      error = caught as Error;
    }
    expect(error).toBeDefined();
    expect(error).not.toBeInstanceOf(TypeError);
    expect(error!.message.startsWith(message)).toBe(true);
  });

  test('GIVEN a string consenter count WHEN an Orderer is made THEN the prop is named', () => {
    expect(() => new Orderer(chart(), 'ord', { mspId: 'OrdMSP', consenters: '3' as any })).toThrow('Orderer ord: consenters must be a whole number of at least 1, got "3".');
  });

  test('GIVEN addUser with a number WHEN called THEN the user name prop is named', () => {
    const org = new PeerOrg(chart(), 'org1', { mspId: 'Org1MSP' });
    expect(() => org.addUser(7 as any)).toThrow('PeerOrg org1: user name must be a string, got number 7.');
  });
});

describe('object names derived from organizations', () => {
  test('GIVEN a user whose Secret would take a peer\'s identity Secret name WHEN added THEN both constructs are named', () => {
    const chart = testChart();
    const org = new PeerOrg(chart, 'org1', { mspId: 'Org1MSP' });
    expect(() => org.addUser('peer0-identity')).toThrow(/Secret name "org1-peer0-identity" is already used by net\/org1\/peer0. Rename one of the organizations, users, channels or chaincodes/);
  });

  test('GIVEN an org named like another org\'s peer WHEN its admin Secret would take a user\'s name THEN it is refused', () => {
    const chart = testChart();
    new PeerOrg(chart, 'org1', { mspId: 'Org1MSP', users: ['peer0-admin'] });
    expect(() => new PeerOrg(chart, 'org1-peer0', { mspId: 'Org1Peer0MSP' })).toThrow(/Secret name "org1-peer0-admin" is already used by net\/org1/);
  });

  test('GIVEN CouchDB WHEN synthesized THEN the password derives from the identities\' seed: another seed, another password', () => {
    const password = (seed: string) => {
      const chart = testChart('net', { identities: new GeneratedIdentities({ seed }) });
      new PeerOrg(chart, 'org1', { mspId: 'Org1MSP', stateDatabase: StateDatabase.COUCHDB });
      const secret = find(Testing.synth(chart) as KubeObject[], 'Secret', 'org1-peer0-couchdb');
      return Buffer.from(secret.data.password, 'base64').toString();
    };
    expect(password('first-secret-seed-0123')).toBe(password('first-secret-seed-0123'));
    expect(password('first-secret-seed-0123')).not.toBe(password('other-secret-seed-0123'));
  });
});

describe('misspelt props from plain JavaScript', () => {
  test.each([
    ['Orderer', () => new Orderer(testChart(), 'orderer', { mspId: 'OrdererMSP', consenter: 5 } as never), 'Orderer orderer: unknown prop "consenter" (did you mean "consenters"?). Its props are mspId, name, consenters, storage, resources, logSpec.'],
    ['PeerOrg', () => new PeerOrg(testChart(), 'org1', { mspId: 'Org1MSP', peer: 2 } as never), 'PeerOrg org1: unknown prop "peer" (did you mean "peers"?)'],
    ['Channel', () => { const { chart, orderer, org1 } = network(); new Channel(chart, 'ch', { orderers: [orderer], members: [org1], batchTimout: Duration.seconds(1) } as never); }, 'Channel ch: unknown prop "batchTimout" (did you mean "batchTimeout"?)'],
    ['ExternalChaincode', () => { const { chart, channel } = network(); new ExternalChaincode(chart, 'cc', { channel, image: IMAGE, endorsmentPolicy: 'x' } as never); }, 'ExternalChaincode cc: unknown prop "endorsmentPolicy" (did you mean "endorsementPolicy"?)'],
    ['FabricCa', () => new FabricCa(testChart(), 'ca', { org: { mspId: 'Org1MSP', name: 'org1' }, adminSecret: 's' } as never), 'FabricCa ca: unknown prop "adminSecret" (did you mean "adminSecretName"?)'],
  ])('GIVEN %s with a misspelt prop WHEN created THEN it is refused, naming the nearest prop', (_kind, create, message) => {
    expect(create).toThrow(message);
  });

  test('GIVEN a prop far from every known one WHEN created THEN the message lists the props without a guess', () => {
    expect(() => new Orderer(testChart(), 'orderer', { mspId: 'OrdererMSP', replicasOfEverything: 5 } as never))
      .toThrow('Orderer orderer: unknown prop "replicasOfEverything". Its props are mspId, name, consenters, storage, resources, logSpec.');
  });

  test('GIVEN a subclass that takes props of its own WHEN it passes them on THEN they are accepted', () => {
    class LabelledOrg extends PeerOrg {
      public constructor(scope: FabricChart, id: string, props: PeerOrgProps & { team: string }) {
        super(scope, id, props);
      }
    }
    expect(new LabelledOrg(testChart(), 'org1', { mspId: 'Org1MSP', team: 'payments' }).mspId).toBe('Org1MSP');
  });
});
