import { NetworkStatus } from './status';

/** `status` for a person: one compact table per part, aligned columns. */
export function statusTable(status: NetworkStatus): string {
  const sections = [
    `network ${status.network ?? '(no model: nodes and Jobs only)'} in namespace ${status.namespace}`,
    table(['ORG', 'NODE', 'KIND', 'READY', 'RESTARTS', 'STATE'],
      status.nodes.map((n) => [n.organization, n.name, n.component, n.ready ? 'yes' : 'no', String(n.restarts), n.state])),
  ];
  for (const channel of status.channels) {
    sections.push(`channel ${channel.name}\n${table(['NODE', 'HEIGHT'], channel.heights.map((h) => [h.node, h.height !== undefined ? String(h.height) : `? (${h.error})`]))}`);
  }
  if (status.chaincodes.length > 0) {
    sections.push(table(['CHAINCODE', 'CHANNEL', 'WANTED', 'COMMITTED', 'SEQUENCE', 'APPROVED BY'], status.chaincodes.map((c) => [
      c.name, c.channel, c.version, c.committed?.version ?? `- (${c.error})`, c.committed ? String(c.committed.sequence) : '-',
      c.committed ? Object.entries(c.committed.approvals).filter(([, approved]) => approved).map(([msp]) => msp).join(', ') : '-',
    ])));
  }
  const done = status.jobs.filter((job) => job.phase === 'complete').length;
  sections.push(`${done}/${status.jobs.length} Jobs complete\n${table(['JOB', 'STEP', 'STATE'], status.jobs.map((j) => [j.name, j.step, j.phase]))}`);
  return `${sections.join('\n\n')}\n`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}
