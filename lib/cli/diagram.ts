import { ChaincodeModel, ChannelModel, NetworkModel, OrganizationModel } from '../model/network-model';

/*
 * Pictures of a network model: a Mermaid flowchart (for Markdown, which GitHub and most wikis
 * render) and a standalone SVG drawn here on a fixed grid, so that neither needs a browser or a
 * layout engine, and the same model always gives the same bytes.
 */

/**
 * The model as a Mermaid flowchart: each organization a subgraph of its nodes (peers or
 * consenters), its Fabric CA and the chaincode servers it runs; each channel linked to its
 * consenters and member organizations; each chaincode linked to its channel and to the servers
 * that run it, with its endorsement policy in its label.
 */
export function mermaid(model: NetworkModel): string {
  checkModel(model);
  const ids = new MermaidIds(model);
  const lines = [
    'flowchart TB',
    `  %% Hyperkube network ${oneLine(model.network)}: namespace ${oneLine(model.namespace)}, Fabric ${oneLine(model.fabricVersion)}`,
    ...drawingOrder(model).flatMap((org) => mermaidOrganization(model, org, ids)),
    ...model.channels.flatMap((channel) => mermaidChannel(channel, ids)),
    ...model.chaincodes.flatMap((chaincode, index) => mermaidChaincode(chaincode, index, ids)),
    '  classDef orderer fill:#fdf2d0,stroke:#b7791f,color:#1a202c',
    '  classDef peer fill:#e3eefc,stroke:#2b6cb0,color:#1a202c',
    '  classDef ca fill:#f7fafc,stroke:#718096,color:#1a202c,stroke-dasharray:4 3',
    '  classDef server fill:#efe5fb,stroke:#6b46c1,color:#1a202c',
    '  classDef channel fill:#e2f4e8,stroke:#2f855a,color:#1a202c',
    '  classDef chaincode fill:#efe5fb,stroke:#6b46c1,color:#1a202c',
  ];
  return lines.join('\n') + '\n';
}

/**
 * Mermaid ids, made from positions rather than names: a name may hold characters Mermaid reads as
 * syntax ('-', '.'), start with the 'o' or 'x' of an edge head, or spell a keyword ('end').
 */
class MermaidIds {
  private readonly ids = new Map<string, string>();

  public constructor(model: NetworkModel) {
    drawingOrder(model).forEach((org, index) => {
      const id = `ORG${index + 1}`;
      this.ids.set(`org ${org.name}`, id);
      org.nodes.forEach((node, nodeIndex) => this.ids.set(`node ${node}`, `${id}_N${nodeIndex + 1}`));
      serversOf(model, org).forEach((server, serverIndex) => this.ids.set(`server ${server}`, `${id}_S${serverIndex + 1}`));
    });
    model.channels.forEach((channel, index) => this.ids.set(`channel ${channel.name}`, `CH${index + 1}`));
  }

  public org(name: string): string {
    return this.get(`org ${name}`);
  }

  public node(name: string): string {
    return this.get(`node ${name}`);
  }

  public server(name: string): string {
    return this.get(`server ${name}`);
  }

  public channel(name: string): string {
    return this.get(`channel ${name}`);
  }

  private get(key: string): string {
    const id = this.ids.get(key);
    if (id === undefined) {
      throw new Error(`the network model names ${key}, which it does not describe; this is a bug in Hyperkube's model builder.`);
    }
    return id;
  }
}

function mermaidOrganization(model: NetworkModel, org: OrganizationModel, ids: MermaidIds): string[] {
  const id = ids.org(org.name);
  return [
    `  subgraph ${id}["${mermaidText(`${org.name}: ${org.mspId}, ${kindText(org)}`)}"]`,
    ...org.nodes.map((node) => `    ${ids.node(node)}["${mermaidText(node)}"]:::${org.kind === 'orderer' ? 'orderer' : 'peer'}`),
    ...(org.ca ? [`    ${id}_CA(["${mermaidText(`CA ${org.ca}`)}"]):::ca`] : []),
    ...serversOf(model, org).map((server) => `    ${ids.server(server)}[["${mermaidText(server)}"]]:::server`),
    '  end',
  ];
}

function mermaidChannel(channel: ChannelModel, ids: MermaidIds): string[] {
  const id = ids.channel(channel.name);
  const rule = channel.defaultEndorsement ? `<br/>default endorsement: ${mermaidText(channel.defaultEndorsement)}` : '';
  return [
    `  ${id}{{"${mermaidText(`channel ${channel.name}`)}${rule}"}}:::channel`,
    ...channel.consenters.map((node) => `  ${id} ---|consenter| ${ids.node(node)}`),
    ...channel.members.map((org) => `  ${ids.org(org)} ---|member| ${id}`),
  ];
}

function mermaidChaincode(chaincode: ChaincodeModel, index: number, ids: MermaidIds): string[] {
  const id = `CC${index + 1}`;
  const text = `${mermaidText(`chaincode ${chaincode.name} ${chaincode.version}`)}<br/>${mermaidText(`endorsement: ${chaincode.endorsementPolicy}`)}`;
  return [
    `  ${id}[/"${text}"/]:::chaincode`,
    `  ${id} ---|on| ${ids.channel(chaincode.channel)}`,
    ...chaincode.servers.map((server) => `  ${ids.server(server)} -.->|runs| ${id}`),
    ...(chaincode.serverAddress ? [
      `  ${id}X(["${mermaidText(`server outside the cluster: ${chaincode.serverAddress}`)}"]):::server`,
      `  ${id}X -.->|runs| ${id}`,
    ] : []),
  ];
}

/** Text inside a quoted Mermaid label: quotes, '#' and markup as Mermaid's entities, on one line. */
function mermaidText(text: string): string {
  const entities: Record<string, string> = { '#': '#35;', '"': '#quot;', '&': '#amp;', '<': '#lt;', '>': '#gt;' };
  return [...oneLine(text)].map((char) => entities[char] ?? char).join('');
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

// ---------------------------------------------------------------------------------------------
// SVG: a grid. Organizations are columns (ordering ones first), each headed by a card listing its
// nodes and CA. Below, one band per channel marks in each column what the organization is to it
// (consenters, member), and one row per chaincode of the channel names the server each
// organization runs for it, with the endorsement policy in the row's heading on the left.
// ---------------------------------------------------------------------------------------------

/** Sizes in pixels. Text is monospace, so its width follows from its length. */
const Layout = {
  MARGIN: 24,
  GAP: 16,
  PAD: 10,
  TITLE_SIZE: 16,
  HEADING_SIZE: 13,
  TEXT_SIZE: 12,
  SMALL_SIZE: 11,
  /** Width of a monospace character, per pixel of font size (generous: fonts differ a little). */
  CHAR_WIDTH: 0.62,
  LINE: 16,
  NODE_HEIGHT: 24,
  CHANNEL_HEIGHT: 46,
  CHAINCODE_HEIGHT: 46,
  MIN_COLUMN: 130,
} as const;

const FONT = "'DejaVu Sans Mono', Menlo, Consolas, monospace";

const Colors = {
  ink: '#1a202c',
  muted: '#4a5568',
  guide: '#cbd5e0',
  orderer: { fill: '#fdf2d0', stroke: '#b7791f' },
  peer: { fill: '#e3eefc', stroke: '#2b6cb0' },
  ca: { fill: '#f7fafc', stroke: '#718096' },
  channel: { fill: '#e2f4e8', stroke: '#2f855a' },
  chaincode: { fill: '#f6f0fd', stroke: '#6b46c1' },
  server: { fill: '#efe5fb', stroke: '#6b46c1' },
} as const;

/** One organization's column: where it is and what it holds. */
interface Column {
  readonly org: OrganizationModel;
  readonly x: number;
  readonly width: number;
}

/**
 * The model as a standalone SVG document: organizations as columns of their nodes, a band per
 * channel marking its consenters and members, and a row per chaincode under its channel naming
 * the servers that run it and its endorsement policy.
 */
export function svg(model: NetworkModel): string {
  checkModel(model);
  const title = `Hyperkube network ${model.network}`;
  const subtitle = `namespace ${model.namespace}, Fabric ${model.fabricVersion}`;
  const gutter = gutterWidth(model);
  const columns = layOutColumns(model, Layout.MARGIN + gutter + Layout.GAP);
  const gridRight = columns.length > 0 ? columns[columns.length - 1].x + columns[columns.length - 1].width : Layout.MARGIN + gutter;
  const width = Math.max(gridRight, Layout.MARGIN + textWidth(title, Layout.TITLE_SIZE), Layout.MARGIN + textWidth(subtitle, Layout.TEXT_SIZE)) + Layout.MARGIN;
  const cardsTop = Layout.MARGIN + 2 * Layout.LINE + Layout.GAP;
  const cardHeight = Math.max(LEGEND.length * Layout.LINE + Layout.PAD, ...columns.map((column) => cardHeightOf(column.org)));
  const body: string[] = [];
  let y = cardsTop + cardHeight + Layout.GAP;
  for (const channel of model.channels) {
    body.push(...svgChannel(channel, columns, gridRight, y));
    y += Layout.CHANNEL_HEIGHT + Layout.PAD;
    for (const chaincode of model.chaincodes.filter((each) => each.channel === channel.name)) {
      body.push(...svgChaincode(chaincode, columns, gridRight, y));
      y += Layout.CHAINCODE_HEIGHT + Layout.PAD;
    }
    y += Layout.GAP - Layout.PAD;
  }
  const height = y - Layout.GAP + Layout.MARGIN;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${xml(FONT)}" font-size="${Layout.TEXT_SIZE}" fill="${Colors.ink}">`,
    `  <title>${xml(`${title} (${subtitle})`)}</title>`,
    `  <rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    text(Layout.MARGIN, Layout.MARGIN + Layout.TITLE_SIZE, title, { size: Layout.TITLE_SIZE, bold: true }),
    text(Layout.MARGIN, Layout.MARGIN + Layout.TITLE_SIZE + Layout.LINE, subtitle, { color: Colors.muted }),
    // Guides first, so that cards and bands are drawn over them.
    ...columns.map((column) => line(center(column), cardsTop + cardHeight, center(column), height - Layout.MARGIN)),
    ...svgLegend(cardsTop),
    ...columns.flatMap((column) => svgCard(column, cardsTop, cardHeight)),
    ...body,
    '</svg>',
  ].join('\n') + '\n';
}

/** Width of the left column, which names the channels and chaincodes of the rows. */
function gutterWidth(model: NetworkModel): number {
  const texts = [
    ...LEGEND.map(([words]) => textWidth(words, Layout.SMALL_SIZE) + Layout.LINE),
    ...model.channels.flatMap((channel) => channelHeading(channel).map((each) => textWidth(each, Layout.TEXT_SIZE))),
    ...model.chaincodes.flatMap((chaincode) => chaincodeHeading(chaincode).map((each) => textWidth(each, Layout.TEXT_SIZE))),
  ];
  return Math.max(Layout.MIN_COLUMN, ...texts) + 2 * Layout.PAD;
}

function layOutColumns(model: NetworkModel, left: number): Column[] {
  const columns: Column[] = [];
  let x = left;
  for (const org of drawingOrder(model)) {
    const texts = [
      textWidth(org.name, Layout.HEADING_SIZE),
      textWidth(orgSubtitle(org), Layout.SMALL_SIZE),
      ...org.nodes.map((node) => textWidth(node, Layout.TEXT_SIZE) + 2 * Layout.PAD),
      ...(org.ca ? [textWidth(caText(org.ca), Layout.TEXT_SIZE) + 2 * Layout.PAD] : []),
      ...serversOf(model, org).map((server) => textWidth(server, Layout.SMALL_SIZE) + 2 * Layout.PAD),
    ];
    const width = Math.max(Layout.MIN_COLUMN, ...texts) + 2 * Layout.PAD;
    columns.push({ org, x, width });
    x += width + Layout.GAP;
  }
  return columns;
}

function cardHeightOf(org: OrganizationModel): number {
  const boxes = org.nodes.length + (org.ca ? 1 : 0);
  return 2 * Layout.LINE + Layout.PAD + boxes * (Layout.NODE_HEIGHT + Layout.PAD / 2) + Layout.PAD;
}

/** What the colours stand for, in the corner left of the cards. */
const LEGEND: [string, { fill: string; stroke: string }][] = [
  ['ordering organization', Colors.orderer],
  ['peer organization', Colors.peer],
  ['channel: each org\'s part in it', Colors.channel],
  ['chaincode: the server each org runs', Colors.server],
];

function svgLegend(top: number): string[] {
  const swatch = Layout.SMALL_SIZE;
  return LEGEND.flatMap(([words, colors], index) => {
    const y = top + index * Layout.LINE;
    return [
      rect(Layout.MARGIN, y, swatch, swatch, colors, { radius: 2 }),
      text(Layout.MARGIN + Layout.LINE, y + swatch - 1, words, { size: Layout.SMALL_SIZE, color: Colors.muted }),
    ];
  });
}

/** An organization's card: its name, MSP ID and kind, then a box per node and one for its CA. */
function svgCard(column: Column, top: number, height: number): string[] {
  const { org, x, width } = column;
  const colors = org.kind === 'orderer' ? Colors.orderer : Colors.peer;
  const inner = width - 2 * Layout.PAD;
  const lines = [
    rect(x, top, width, height, colors, { radius: 8 }),
    text(x + Layout.PAD, top + Layout.PAD + Layout.HEADING_SIZE, org.name, { size: Layout.HEADING_SIZE, bold: true }),
    text(x + Layout.PAD, top + Layout.PAD + Layout.HEADING_SIZE + Layout.LINE, orgSubtitle(org), { size: Layout.SMALL_SIZE, color: Colors.muted }),
  ];
  let y = top + 2 * Layout.LINE + Layout.PAD;
  for (const node of org.nodes) {
    lines.push(rect(x + Layout.PAD, y, inner, Layout.NODE_HEIGHT, { fill: '#ffffff', stroke: colors.stroke }, { radius: 4 }));
    lines.push(text(x + 2 * Layout.PAD, y + boxBaseline(), node));
    y += Layout.NODE_HEIGHT + Layout.PAD / 2;
  }
  if (org.ca) {
    lines.push(rect(x + Layout.PAD, y, inner, Layout.NODE_HEIGHT, Colors.ca, { radius: 4, dashed: true }));
    lines.push(text(x + 2 * Layout.PAD, y + boxBaseline(), caText(org.ca), { color: Colors.muted }));
  }
  return lines;
}

/** A channel's band: its name and default endorsement rule, and in each column the org's part in it. */
function svgChannel(channel: ChannelModel, columns: Column[], right: number, top: number): string[] {
  const [name, rule] = channelHeading(channel);
  const lines = [
    rect(Layout.MARGIN, top, right - Layout.MARGIN, Layout.CHANNEL_HEIGHT, Colors.channel, { radius: 8 }),
    text(Layout.MARGIN + Layout.PAD, top + Layout.PAD + Layout.TEXT_SIZE, name, { bold: true }),
    ...(rule ? [text(Layout.MARGIN + Layout.PAD, top + Layout.PAD + Layout.TEXT_SIZE + Layout.LINE, rule, { size: Layout.SMALL_SIZE, color: Colors.muted })] : []),
  ];
  for (const column of columns) {
    const role = roleIn(channel, column.org);
    if (role) {
      lines.push(...pill(column, top + (Layout.CHANNEL_HEIGHT - Layout.NODE_HEIGHT) / 2, role, Colors.channel.stroke));
    }
  }
  return lines;
}

/** A chaincode's row: its name, version and policy, and in each column the server that org runs. */
function svgChaincode(chaincode: ChaincodeModel, columns: Column[], right: number, top: number): string[] {
  const [name, policy] = chaincodeHeading(chaincode);
  const left = Layout.MARGIN + Layout.PAD;
  const lines = [
    rect(left, top, right - left, Layout.CHAINCODE_HEIGHT, Colors.chaincode, { radius: 6 }),
    text(left + Layout.PAD, top + Layout.PAD + Layout.TEXT_SIZE, name, { bold: true }),
    text(left + Layout.PAD, top + Layout.PAD + Layout.TEXT_SIZE + Layout.LINE, policy, { size: Layout.SMALL_SIZE, color: Colors.muted }),
  ];
  for (const column of columns) {
    const index = chaincode.orgs.indexOf(column.org.name);
    if (index >= 0) {
      const x = column.x + Layout.PAD;
      const y = top + (Layout.CHAINCODE_HEIGHT - 2 * Layout.LINE) / 2 - 2;
      lines.push(rect(x, y, column.width - 2 * Layout.PAD, 2 * Layout.LINE + 4, Colors.server, { radius: 4 }));
      lines.push(text(x + Layout.PAD, y + Layout.SMALL_SIZE + 2, 'runs, approves', { size: Layout.SMALL_SIZE, color: Colors.muted }));
      lines.push(text(x + Layout.PAD, y + Layout.SMALL_SIZE + 2 + Layout.LINE, chaincode.servers[index] ?? `at ${chaincode.serverAddress}`, { size: Layout.SMALL_SIZE }));
    }
  }
  return lines;
}

/** What `org` is to `channel`, in words; undefined when nothing. */
function roleIn(channel: ChannelModel, org: OrganizationModel): string | undefined {
  if (channel.orderers.includes(org.name)) {
    const consenters = org.nodes.filter((node) => channel.consenters.includes(node)).length;
    return `${consenters} consenter${consenters === 1 ? '' : 's'}`;
  }
  return channel.members.includes(org.name) ? 'member' : undefined;
}

/** A rounded label centred in `column`. */
function pill(column: Column, top: number, words: string, stroke: string): string[] {
  const width = Math.min(column.width - 2 * Layout.PAD, textWidth(words, Layout.TEXT_SIZE) + 2 * Layout.PAD);
  const x = Math.round(center(column) - width / 2);
  return [
    rect(x, top, width, Layout.NODE_HEIGHT, { fill: '#ffffff', stroke }, { radius: Layout.NODE_HEIGHT / 2 }),
    text(x + Layout.PAD, top + boxBaseline(), words),
  ];
}

function channelHeading(channel: ChannelModel): string[] {
  return [`channel ${channel.name}`, ...(channel.defaultEndorsement ? [`default endorsement: ${channel.defaultEndorsement}`] : [])];
}

function chaincodeHeading(chaincode: ChaincodeModel): string[] {
  return [`chaincode ${chaincode.name} ${chaincode.version}`, `endorsement: ${chaincode.endorsementPolicy}`];
}

function orgSubtitle(org: OrganizationModel): string {
  return `${org.mspId}, ${kindText(org)}`;
}

function caText(ca: string): string {
  return `CA ${ca}`;
}

function center(column: Column): number {
  return column.x + Math.round(column.width / 2);
}

/** Baseline of one line of text, vertically centred in a node box. */
function boxBaseline(): number {
  return Math.round((Layout.NODE_HEIGHT + Layout.TEXT_SIZE) / 2) - 2;
}

function textWidth(words: string, size: number): number {
  return Math.ceil(words.length * size * Layout.CHAR_WIDTH);
}

function rect(x: number, y: number, width: number, height: number, colors: { fill: string; stroke: string }, options: { radius?: number; dashed?: boolean } = {}): string {
  const dash = options.dashed ? ' stroke-dasharray="4 3"' : '';
  return `  <rect x="${x}" y="${y}" width="${width}" height="${height}" rx="${options.radius ?? 0}" fill="${colors.fill}" stroke="${colors.stroke}"${dash}/>`;
}

function line(x1: number, y1: number, x2: number, y2: number): string {
  return `  <line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${Colors.guide}" stroke-dasharray="3 4"/>`;
}

function text(x: number, y: number, words: string, options: { size?: number; bold?: boolean; color?: string } = {}): string {
  const size = options.size && options.size !== Layout.TEXT_SIZE ? ` font-size="${options.size}"` : '';
  const weight = options.bold ? ' font-weight="bold"' : '';
  const color = options.color ? ` fill="${options.color}"` : '';
  return `  <text x="${x}" y="${y}"${size}${weight}${color}>${xml(words)}</text>`;
}

/** `words` as XML character data or attribute value: markup escaped, characters XML 1.0 forbids dropped. */
function xml(words: string): string {
  const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  return [...words].filter(allowedInXml).map((char) => entities[char] ?? char).join('');
}

function allowedInXml(char: string): boolean {
  const code = char.codePointAt(0) as number;
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || code >= 0x10000;
}

// ---------------------------------------------------------------------------------------------
// Shared by both pictures.
// ---------------------------------------------------------------------------------------------

/** The organizations left to right: ordering ones first, as a channel's config lists them. */
function drawingOrder(model: NetworkModel): OrganizationModel[] {
  return [...model.organizations.filter((org) => org.kind === 'orderer'), ...model.organizations.filter((org) => org.kind !== 'orderer')];
}

/** The chaincode servers `org` runs, in the order of the model's chaincodes. */
function serversOf(model: NetworkModel, org: OrganizationModel): string[] {
  return model.chaincodes.flatMap((chaincode) => chaincode.orgs.flatMap((name, index) => (name === org.name && chaincode.servers[index] ? [chaincode.servers[index]] : [])));
}

function kindText(org: OrganizationModel): string {
  return org.kind === 'orderer' ? 'ordering' : 'peers';
}

/**
 * Throws, naming what, when the model refers to an organization, node or channel it does not
 * describe: a model is written by one Hyperkube and may be read by another.
 */
function checkModel(model: NetworkModel): void {
  const where = `network model of ${model.network}`;
  const orgs = new Map(model.organizations.map((org) => [org.name, org]));
  const nodes = new Set(model.organizations.flatMap((org) => org.nodes));
  const channels = new Set(model.channels.map((channel) => channel.name));
  const need = (known: boolean, what: string) => {
    if (!known) {
      throw new Error(`${where}: ${what}, which the model does not describe. Synthesize again with \`cdk8s synth\` so that dist/ holds one consistent model.`);
    }
  };
  for (const channel of model.channels) {
    channel.orderers.forEach((org) => need(orgs.get(org)?.kind === 'orderer', `channel ${channel.name} names ordering organization ${org}`));
    channel.members.forEach((org) => need(orgs.get(org)?.kind === 'peer', `channel ${channel.name} names member organization ${org}`));
    channel.consenters.forEach((node) => need(nodes.has(node), `channel ${channel.name} names consenter ${node}`));
  }
  for (const chaincode of model.chaincodes) {
    need(channels.has(chaincode.channel), `chaincode ${chaincode.name} names channel ${chaincode.channel}`);
    chaincode.orgs.forEach((org) => need(orgs.get(org)?.kind === 'peer', `chaincode ${chaincode.name} names organization ${org}`));
  }
}
