import { MonitoredChannel, MonitoredTopology } from './topology';

/** One query of a panel. */
export interface PanelQuery {
  readonly title: string;
  readonly expr: string;
  readonly legend: string;
}

/** Grafana's own range for rate() windows, at least four scrapes. */
const RATE_WINDOW = '$__rate_interval';
const PANEL_WIDTH = 12;
const PANEL_HEIGHT = 8;

/**
 * The panels of one channel: block height of every peer and consenter, transactions per second,
 * endorsement latency and the Raft leader.
 */
export function channelQueries(topology: MonitoredTopology, channel: MonitoredChannel): PanelQuery[] {
  const on = `namespace=${JSON.stringify(topology.namespace)},channel=${JSON.stringify(channel.name)}`;
  return [
    { title: `Block height on ${channel.name}`, expr: `max by (fabric_node) (ledger_blockchain_height{${on}})`, legend: '{{fabric_node}}' },
    {
      title: `Valid transactions per second on ${channel.name}`,
      expr: `sum by (fabric_node) (rate(ledger_transaction_count{${on},validation_code="VALID"}[${RATE_WINDOW}]))`,
      legend: '{{fabric_node}}',
    },
    {
      title: `Endorsement latency (p95) on ${channel.name}`,
      expr: `histogram_quantile(0.95, sum by (le, fabric_node) (rate(endorser_proposal_duration_bucket{${on}}[${RATE_WINDOW}])))`,
      legend: '{{fabric_node}}',
    },
    { title: `Raft leader of ${channel.name}`, expr: `max by (fabric_node) (consensus_etcdraft_is_leader{${on}})`, legend: '{{fabric_node}}' },
  ];
}

/**
 * A Grafana dashboard of the network: a row per channel with its panels, on a Prometheus data
 * source chosen in the dashboard. Its uid is derived from the namespace, so a re-apply updates it.
 */
export function networkDashboard(topology: MonitoredTopology, uid: string): Record<string, unknown> {
  const panels: Record<string, unknown>[] = [];
  let y = 0;
  for (const channel of topology.channels) {
    panels.push({ id: panels.length + 1, type: 'row', title: `Channel ${channel.name}`, collapsed: false, gridPos: { x: 0, y, w: 24, h: 1 }, panels: [] });
    y += 1;
    channelQueries(topology, channel).forEach((query, index) => {
      panels.push(timeSeriesPanel(panels.length + 1, query, { x: (index % 2) * PANEL_WIDTH, y: y + Math.floor(index / 2) * PANEL_HEIGHT }));
    });
    y += 2 * PANEL_HEIGHT;
  }
  return {
    uid,
    title: `Hyperledger Fabric: ${topology.network} (${topology.namespace})`,
    tags: ['hyperkube', 'hyperledger-fabric'],
    editable: true,
    schemaVersion: 39,
    time: { from: 'now-1h', to: 'now' },
    refresh: '30s',
    templating: { list: [{ name: 'datasource', label: 'Prometheus', type: 'datasource', query: 'prometheus' }] },
    panels,
  };
}

function timeSeriesPanel(id: number, query: PanelQuery, at: { x: number; y: number }): Record<string, unknown> {
  return {
    id,
    type: 'timeseries',
    title: query.title,
    datasource: { type: 'prometheus', uid: '${datasource}' },
    gridPos: { ...at, w: PANEL_WIDTH, h: PANEL_HEIGHT },
    targets: [{ refId: 'A', expr: query.expr, legendFormat: query.legend, datasource: { type: 'prometheus', uid: '${datasource}' } }],
  };
}
