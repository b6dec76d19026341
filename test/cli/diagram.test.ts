import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { Command } from 'commander';
import { TestNetwork } from '../../apps/test-network/network';
import { MultiOrgNetwork } from '../../apps/multi-org/network';
import { mermaid, svg } from '../../lib/cli/diagram';
import { drawDiagram, registerDiagram } from '../../lib/cli/diagram-command';
import { NetworkModel } from '../../lib/model/network-model';
import { developmentIdentities, find, synthMultiOrg, synthTestNetwork } from '../util';

function referenceModel(): NetworkModel {
  return JSON.parse(find(synthTestNetwork().objects, 'ConfigMap', 'hyperkube-model').data['model.json']);
}

/** A model whose names hold everything Mermaid and XML read as syntax. */
function awkwardModel(): NetworkModel {
  return {
    network: 'a<b>&"c"',
    namespace: 'ns',
    fabricVersion: '2.5.9',
    organizations: [
      { name: 'end', mspId: 'O&"<b>#1;', kind: 'peer', nodes: ['end-peer0', 'o-x'], ca: 'end-ca' },
      { name: 'xo', mspId: 'graph', kind: 'orderer', nodes: ['subgraph'] },
    ],
    channels: [{ name: 'o.x', orderers: ['xo'], consenters: ['subgraph'], members: ['end'] }],
    chaincodes: [{ name: 'style', channel: 'o.x', version: '1|2', orgs: ['end'], endorsementPolicy: 'OR(\'A.peer\') "q" <br/> ]] /]', servers: ['class'], packageIds: ['style_1|2:ab'] }],
  };
}

/**
 * What keeps `text` from being well-formed XML, one line each (empty when it is): unbalanced or
 * crossed tags, unquoted or repeated attributes, markup characters or unknown entities in text,
 * more than one root. A small walker, so the test needs no XML library.
 */
function xmlProblems(text: string): string[] {
  const problems: string[] = [];
  const open: string[] = [];
  let roots = 0;
  let at = text.startsWith('<?xml') ? text.indexOf('?>') + 2 : 0;
  const checkText = (chunk: string, where: string) => {
    for (let index = chunk.indexOf('&'); index >= 0; index = chunk.indexOf('&', index + 1)) {
      const end = chunk.indexOf(';', index);
      const entity = end > index ? chunk.slice(index + 1, end) : '';
      if (!['amp', 'lt', 'gt', 'quot', 'apos'].includes(entity) && !/^#(\d+|x[0-9a-fA-F]+)$/.test(entity)) {
        problems.push(`${where}: bare '&'`);
      }
    }
  };
  while (at < text.length) {
    const next = text.indexOf('<', at);
    const chunk = text.slice(at, next < 0 ? text.length : next);
    if (chunk.includes('>')) {
      problems.push(`text at ${at}: '>' outside a tag`);
    }
    if (open.length === 0 && chunk.trim() !== '') {
      problems.push(`text at ${at}: outside the root element`);
    }
    checkText(chunk, `text at ${at}`);
    if (next < 0) {
      break;
    }
    if (text.startsWith('<!--', next)) {
      at = text.indexOf('-->', next) + 3;
      continue;
    }
    // The tag ends at the first '>' outside a quoted attribute value.
    let end = next + 1;
    let quote = '';
    for (; end < text.length && (quote !== '' || text[end] !== '>'); end++) {
      if (quote === '' && (text[end] === '"' || text[end] === "'")) {
        quote = text[end];
      } else if (text[end] === quote) {
        quote = '';
      } else if (quote !== '' && text[end] === '<') {
        problems.push(`tag at ${next}: '<' in an attribute value`);
      }
    }
    const tag = text.slice(next + 1, end);
    at = end + 1;
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      if (open.pop() !== name) {
        problems.push(`tag at ${next}: </${name}> closes nothing open`);
      }
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const [name, ...rest] = (selfClosing ? tag.slice(0, -1) : tag).trim().split(/\s+(?=[^\s=]+=)/);
    if (!/^[A-Za-z_][\w.-]*$/.test(name)) {
      problems.push(`tag at ${next}: bad name "${name}"`);
    }
    const seen = new Set<string>();
    for (const attribute of rest) {
      const match = /^([A-Za-z_:][\w.:-]*)=("[^"]*"|'[^']*')$/.exec(attribute.trim());
      if (!match) {
        problems.push(`tag at ${next}: attribute ${attribute} is not name="value"`);
        continue;
      }
      if (seen.has(match[1])) {
        problems.push(`tag at ${next}: attribute ${match[1]} twice`);
      }
      seen.add(match[1]);
      checkText(match[2], `attribute ${match[1]} at ${next}`);
    }
    if (open.length === 0) {
      roots++;
    }
    if (!selfClosing) {
      open.push(name);
    }
  }
  if (open.length > 0) {
    problems.push(`unclosed: ${open.join(', ')}`);
  }
  if (roots !== 1) {
    problems.push(`${roots} root elements`);
  }
  return problems;
}

/** The numbers of every `<rect>`'s x, y, width and height. */
function rects(picture: string): { x: number; y: number; width: number; height: number }[] {
  return [...picture.matchAll(/<rect x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)"/g)].map(([, x, y, width, height]) => ({ x: +x, y: +y, width: +width, height: +height }));
}

describe('xmlProblems (the test\'s own checker)', () => {
  test.each([
    ['<svg><g></svg>', '</svg> closes nothing open'],
    ['<svg a="1" a="2"/>', 'attribute a twice'],
    ['<svg>a & b</svg>', "bare '&'"],
    ['<svg><text>x</text>', 'unclosed: svg'],
    ['<svg/><svg/>', '2 root elements'],
    ['<svg a=1/>', 'is not name="value"'],
    ['<svg>a > b</svg>', "'>' outside a tag"],
  ])('GIVEN the broken document %s WHEN checked THEN it reports %s', (document, problem) => {
    expect(xmlProblems(document).join('\n')).toContain(problem);
  });

  test('GIVEN a well-formed document WHEN checked THEN it reports nothing', () => {
    expect(xmlProblems('<?xml version="1.0"?>\n<svg a="x &amp; y"><!-- c --><g/><text b=\'1\'>&lt;ok&gt; &#39;</text></svg>\n')).toEqual([]);
  });
});

describe('mermaid', () => {
  test('GIVEN the reference network WHEN drawn THEN the flowchart matches the snapshot', () => {
    expect(mermaid(referenceModel())).toMatchSnapshot();
  });

  test('GIVEN the reference network WHEN drawn THEN each org is a subgraph of its nodes, the channel links its three consenters and two members, and the chaincode its channel and servers', () => {
    const model = referenceModel();
    const lines = mermaid(model).split('\n');
    expect(lines[0]).toBe('flowchart TB');
    expect(lines.filter((line) => line.trim().startsWith('subgraph '))).toEqual([
      '  subgraph ORG1["orderer: OrdererMSP, ordering"]',
      '  subgraph ORG2["org1: Org1MSP, peers"]',
      '  subgraph ORG3["org2: Org2MSP, peers"]',
    ]);
    expect(lines.filter((line) => line.trim() === 'end')).toHaveLength(3);
    expect(lines.filter((line) => line.includes('---|consenter|'))).toEqual(['  CH1 ---|consenter| ORG1_N1', '  CH1 ---|consenter| ORG1_N2', '  CH1 ---|consenter| ORG1_N3']);
    expect(lines.filter((line) => line.includes('---|member|'))).toEqual(['  ORG2 ---|member| CH1', '  ORG3 ---|member| CH1']);
    expect(lines).toContain('  CC1[/"chaincode basic 1.0<br/>endorsement: /Channel/Application/Endorsement"/]:::chaincode');
    expect(lines).toContain('  CC1 ---|on| CH1');
    expect(lines).toContain(`    ORG2_S1[["${model.chaincodes[0].servers[0]}"]]:::server`);
    expect(lines.filter((line) => line.includes('-.->|runs| CC1'))).toEqual(['  ORG2_S1 -.->|runs| CC1', '  ORG3_S1 -.->|runs| CC1']);
  });

  test('GIVEN names that Mermaid reads as syntax WHEN drawn THEN ids are made of positions and labels escape quotes, markup and #', () => {
    const chart = mermaid(awkwardModel());
    const ids = [...chart.matchAll(/^\s+(?:subgraph )?([^\s[({]+)[[({]/gm)].map((match) => match[1]);
    expect(ids).toEqual(['ORG1', 'ORG1_N1', 'ORG2', 'ORG2_N1', 'ORG2_N2', 'ORG2_CA', 'ORG2_S1', 'CH1', 'CC1']);
    expect(chart).toContain('subgraph ORG2["end: O#amp;#quot;#lt;b#gt;#35;1;, peers"]');
    expect(chart).toContain('endorsement: OR(\'A.peer\') #quot;q#quot; #lt;br/#gt; ]] /]"/]:::chaincode');
    // Inside each quoted label, no quote of its own is left.
    for (const line of chart.split('\n').filter((each) => each.includes('"'))) {
      expect(line.split('"')).toHaveLength(3);
    }
  });

  test('GIVEN a model whose channel names an organization it does not describe WHEN drawn THEN the error names both and the fix', () => {
    const model = referenceModel();
    const broken = { ...model, channels: [{ ...model.channels[0], members: ['org1', 'org9'] }] };
    expect(() => mermaid(broken)).toThrow('network model of test-network: channel mychannel names member organization org9, which the model does not describe. Synthesize again with `cdk8s synth`');
    expect(() => svg(broken)).toThrow('channel mychannel names member organization org9');
  });
});

describe('svg', () => {
  test('GIVEN the reference network WHEN drawn THEN the SVG matches the snapshot', () => {
    expect(svg(referenceModel())).toMatchSnapshot();
  });

  test.each([['the reference network', referenceModel], ['the multi-org network', () => JSON.parse(find(synthMultiOrg().objects, 'ConfigMap', 'hyperkube-model').data['model.json'])], ['names full of markup', awkwardModel]])(
    'GIVEN %s WHEN drawn THEN the SVG is well-formed XML, every box lies inside the canvas, and every name is written',
    (_, model: () => NetworkModel) => {
      const drawn = model();
      const picture = svg(drawn);
      expect(xmlProblems(picture)).toEqual([]);
      const [, width, height] = /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="(\d+)" height="(\d+)" viewBox="0 0 \1 \2"/.exec(picture) ?? [];
      expect(Number(width)).toBeGreaterThan(0);
      for (const box of rects(picture)) {
        expect(box.x + box.width).toBeLessThanOrEqual(Number(width));
        expect(box.y + box.height).toBeLessThanOrEqual(Number(height));
      }
      const texts = [...picture.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((match) => match[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&'));
      const names = [
        ...drawn.organizations.flatMap((org) => [org.name, ...org.nodes]),
        ...drawn.channels.map((channel) => `channel ${channel.name}`),
        ...drawn.chaincodes.flatMap((chaincode) => [`chaincode ${chaincode.name} ${chaincode.version}`, `endorsement: ${chaincode.endorsementPolicy}`, ...chaincode.servers]),
      ];
      for (const name of names) {
        expect(texts).toContain(name);
      }
    });

  test('GIVEN the reference network WHEN drawn THEN the channel band marks three consenters for the orderer and each peer org a member, with one server per org under it', () => {
    const picture = svg(referenceModel());
    expect(picture.match(/>3 consenters</g)).toHaveLength(1);
    expect(picture.match(/>member</g)).toHaveLength(2);
    expect(picture.match(/>runs, approves</g)).toHaveLength(2);
    expect(picture.match(/>CA /g)).toBeNull();
  });

  test('GIVEN a longer policy WHEN drawn THEN the picture grows to hold it', () => {
    const model = referenceModel();
    const width = (picture: string) => Number(/width="(\d+)"/.exec(picture)![1]);
    const long = { ...model, chaincodes: [{ ...model.chaincodes[0], endorsementPolicy: `OR(${Array.from({ length: 8 }, (_, index) => `'Org${index}MSP.peer'`).join(', ')})` }] };
    expect(width(svg(long))).toBeGreaterThan(width(svg(model)) + 200);
  });
});

describe('hyperkube diagram', () => {
  /** A dist folder holding the reference network as `cdk8s synth` writes it. */
  function referenceDist(): string {
    const dir = mkdtempSync(join(tmpdir(), 'hyperkube-diagram-'));
    const app = new App({ outdir: dir });
    new TestNetwork(app, 'test-network', { identities: developmentIdentities() });
    app.synth();
    return dir;
  }

  /** Runs `hyperkube diagram args` through commander, as the CLI does. */
  async function run(...args: string[]): Promise<void> {
    const program = new Command('hyperkube').exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
    registerDiagram(program);
    await program.parseAsync(['node', 'hyperkube', 'diagram', ...args]);
  }

  test('GIVEN the synthesized reference network WHEN diagram runs with --out THEN the file holds the Mermaid of its model, and --format svg the SVG', async () => {
    const dist = referenceDist();
    const out = join(dist, 'pictures', 'network.mmd');
    await run('--dist', dist, '--out', out);
    expect(readFileSync(out, 'utf8')).toBe(mermaid(referenceModel()));

    const picture = join(dist, 'network.svg');
    await run('--dist', dist, '--format', 'svg', '--out', picture);
    expect(readFileSync(picture, 'utf8')).toBe(svg(referenceModel()));
  });

  test('GIVEN no --out WHEN diagram runs THEN the Mermaid goes to stdout', async () => {
    const dist = referenceDist();
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { written.push(String(chunk)); return true; });
    try {
      await run('--dist', dist);
    } finally {
      spy.mockRestore();
    }
    expect(written.join('')).toBe(mermaid(referenceModel()));
  });

  test('GIVEN a dist folder without a model WHEN diagram runs THEN it fails saying to synthesize with a Hyperkube that writes one', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'hyperkube-diagram-'));
    writeFileSync(join(dist, 'old.k8s.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hyperkube-scripts\ndata:\n  a.sh: echo\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: fabric\n');
    await expect(run('--dist', dist)).rejects.toThrow(`no Hyperkube network model (ConfigMap hyperkube-model) in ${join(dist, 'old.k8s.yaml')}. Synthesize the app again with \`cdk8s synth\`, using a Hyperkube version that writes the model`);
  });

  test('GIVEN a missing folder or one without manifests WHEN diagram runs THEN it says to run cdk8s synth or name the folder', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'hyperkube-diagram-'));
    await expect(run('--dist', join(empty, 'nothing'))).rejects.toThrow(`no folder ${join(empty, 'nothing')}. Run \`cdk8s synth\` in your app first, or name the folder of its manifests with --dist <dir>.`);
    await expect(run('--dist', empty)).rejects.toThrow(`${empty} holds no *.k8s.yaml manifests. Run \`cdk8s synth\``);
  });

  test('GIVEN a model ConfigMap that is not a model WHEN diagram runs THEN the error names the file and what is wrong', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'hyperkube-diagram-'));
    const file = join(dist, 'net.k8s.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hyperkube-model\ndata:\n  model.json: \'{"network":"n","namespace":"ns","fabricVersion":"2.5.9","organizations":[{"name":"o","mspId":"O","kind":"witness","nodes":[]}],"channels":[],"chaincodes":[]}\'\n');
    expect(() => drawDiagram({ dist })).toThrow(`ConfigMap hyperkube-model in ${file}: model.json is not a network model: organizations[0].kind is "witness", not peer or orderer.`);
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hyperkube-model\ndata:\n  model.json: "{not json"\n');
    expect(() => drawDiagram({ dist })).toThrow(`ConfigMap hyperkube-model in ${file}: model.json is not JSON`);
  });

  test('GIVEN two networks in one dist folder WHEN diagram runs THEN it asks for --network, and draws the one named', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'hyperkube-diagram-'));
    const app = new App({ outdir: dist });
    new TestNetwork(app, 'test-network', { identities: developmentIdentities() });
    new MultiOrgNetwork(app, 'multi-org', { identities: developmentIdentities() });
    app.synth();
    await expect(run('--dist', dist)).rejects.toThrow(`${dist} holds 2 networks: multi-org (namespace fabric-multi, ${join(dist, 'multi-org.k8s.yaml')}), test-network (namespace fabric, ${join(dist, 'test-network.k8s.yaml')}). Choose one with --network <name>.`);
    expect(drawDiagram({ dist, network: 'multi-org' })).toContain('subgraph ORG1["ord-a: OrdererAMSP, ordering"]');
    expect(() => drawDiagram({ dist, network: 'other' })).toThrow(`no network other in ${dist}; it holds multi-org (namespace fabric-multi`);
  });

  test('GIVEN a format it does not draw WHEN diagram runs THEN commander refuses it with the choices', async () => {
    await expect(run('--format', 'png')).rejects.toThrow("argument 'png' is invalid. Allowed choices are mermaid, svg.");
    expect(() => drawDiagram({ format: 'png' as never })).toThrow('format "png" is not one hyperkube diagram draws; use mermaid or svg.');
  });
});
