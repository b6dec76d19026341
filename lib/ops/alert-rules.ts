import { X509Certificate } from 'node:crypto';
import { MonitoredChannel, MonitoredTopology } from './topology';

/** One alerting rule, in Prometheus's rule file terms. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** A group of rules evaluated together. */
export interface RuleGroup {
  readonly name: string;
  readonly rules: AlertRule[];
}

/** The thresholds the rules use, checked by the Monitoring construct. */
export interface AlertSettings {
  /** How long a node, leader or consenter condition holds before it fires. */
  readonly alertFor: string;
  readonly heightLagBlocks: number;
  readonly heightLagFor: string;
  /** Leader changes within 15 minutes that count as churn. */
  readonly leaderChanges: number;
  /** Days before a certificate's expiry that its alert fires. */
  readonly certificateExpiryDays: number;
  /** Whether kube-state-metrics runs in the cluster, which the failed-Job alert reads. */
  readonly kubeStateMetrics: boolean;
}

/** The alert names, which the README and the e2e refer to. */
export const Alerts = {
  NODE_DOWN: 'HyperkubeNodeDown',
  NO_LEADER: 'HyperkubeRaftNoLeader',
  LEADER_CHURN: 'HyperkubeRaftLeaderChurn',
  CONSENTER_INACTIVE: 'HyperkubeConsenterInactive',
  PEER_HEIGHT_LAG: 'HyperkubePeerHeightLag',
  CERTIFICATE_EXPIRY: 'HyperkubeCertificateExpiry',
  JOB_FAILED: 'HyperkubeJobFailed',
} as const;

/** The window leader changes are counted over. */
const CHURN_WINDOW = '15m';

/** Every rule group of `topology`: nodes, one per channel, certificates and Jobs. */
export function alertRuleGroups(topology: MonitoredTopology, settings: AlertSettings): RuleGroup[] {
  const groups = [
    { name: 'hyperkube-nodes', rules: [nodeDown(topology, settings)] },
    ...topology.channels.map((channel) => ({ name: `hyperkube-channel-${channel.name}`, rules: channelRules(topology, channel, settings) })),
    { name: 'hyperkube-certificates', rules: certificateRules(topology, settings) },
    { name: 'hyperkube-jobs', rules: settings.kubeStateMetrics ? [jobFailed(topology)] : [] },
  ];
  return groups.filter((group) => group.rules.length > 0);
}

/** A PromQL selector of the network's series, with `matchers` added. */
function selector(topology: MonitoredTopology, metric: string, matchers: Record<string, string> = {}): string {
  const all = { namespace: topology.namespace, ...matchers };
  return `${metric}{${Object.entries(all).map(([name, value]) => `${name}=${JSON.stringify(value)}`).join(',')}}`;
}

function nodeDown(topology: MonitoredTopology, settings: AlertSettings): AlertRule {
  return {
    alert: Alerts.NODE_DOWN,
    // Only the network's own targets: the scrape config and the ServiceMonitors set fabric_role.
    expr: `up{namespace=${JSON.stringify(topology.namespace)},fabric_role=~"peer|orderer"} == 0`,
    for: settings.alertFor,
    labels: { severity: 'critical' },
    annotations: {
      summary: 'Fabric node {{ $labels.fabric_node }} does not answer on its operations endpoint',
      description: `Prometheus cannot scrape {{ $labels.fabric_node }} (organization {{ $labels.fabric_org }}) in namespace ${topology.namespace}: the pod is down, not ready, or refuses the scrape's TLS client certificate.`,
    },
  };
}

function channelRules(topology: MonitoredTopology, channel: MonitoredChannel, settings: AlertSettings): AlertRule[] {
  const on = { channel: channel.name };
  const rules: AlertRule[] = [];
  if (channel.consenters.length > 0) {
    const isLeader = selector(topology, 'consensus_etcdraft_is_leader', on);
    const activeNodes = selector(topology, 'consensus_etcdraft_active_nodes', on);
    rules.push({
      alert: Alerts.NO_LEADER,
      // absent() covers the case where no consenter reports the channel at all.
      expr: `max(${isLeader}) < 1 or absent(${isLeader})`,
      for: settings.alertFor,
      labels: { severity: 'critical', channel: channel.name },
      annotations: {
        summary: `Channel ${channel.name} has no Raft leader`,
        description: `No consenter of channel ${channel.name} (${channel.consenters.join(', ')}) reports itself as Raft leader: the channel orders no transactions.`,
      },
    }, {
      alert: Alerts.LEADER_CHURN,
      expr: `max(increase(${selector(topology, 'consensus_etcdraft_leader_changes', on)}[${CHURN_WINDOW}])) > ${settings.leaderChanges}`,
      labels: { severity: 'warning', channel: channel.name },
      annotations: {
        summary: `Channel ${channel.name} changed its Raft leader more than ${settings.leaderChanges} times in ${CHURN_WINDOW}`,
        description: `Frequent elections on ${channel.name} point to consenters that lose each other: network trouble, CPU starvation or slow disks.`,
      },
    }, {
      alert: Alerts.CONSENTER_INACTIVE,
      // Every consenter reports the active nodes the leader sees; the highest is the leader's view.
      expr: `max(${activeNodes}) < ${channel.consenters.length} or absent(${activeNodes})`,
      for: settings.alertFor,
      labels: { severity: 'critical', channel: channel.name },
      annotations: {
        summary: `A consenter of channel ${channel.name} is not active`,
        description: `Channel ${channel.name} has ${channel.consenters.length} consenters (${channel.consenters.join(', ')}), but its Raft leader sees {{ $value }} active. Raft tolerates ${Math.floor((channel.consenters.length - 1) / 2)} missing before the channel stops.`,
      },
    });
  }
  if (channel.peers.length > 0) {
    const height = (matchers: Record<string, string>) => selector(topology, 'ledger_blockchain_height', { ...on, ...matchers });
    rules.push({
      alert: Alerts.PEER_HEIGHT_LAG,
      expr: `scalar(max(${height({})})) - ${height({ fabric_role: 'peer' })} > ${settings.heightLagBlocks}`,
      for: settings.heightLagFor,
      labels: { severity: 'warning', channel: channel.name },
      annotations: {
        summary: `Peer {{ $labels.fabric_node }} lags on channel ${channel.name}`,
        description: `Peer {{ $labels.fabric_node }} is {{ $value }} blocks behind the highest height of channel ${channel.name} (more than ${settings.heightLagBlocks} for ${settings.heightLagFor}).`,
      },
    });
  }
  return rules;
}

/**
 * Fabric 2.5 exports no certificate expiry metric (it only logs a warning a week before), so the
 * rules hold the expiry dates of the certificates known at synth time: each organization's CAs and
 * its nodes' TLS certificates. One rule per organization fires `certificateExpiryDays` before the
 * earliest of them.
 */
function certificateRules(topology: MonitoredTopology, settings: AlertSettings): AlertRule[] {
  return topology.orgs.flatMap((org) => {
    const known = [
      ...(org.certificateAuthorities ? [
        { what: `${org.name} signing CA`, pem: org.certificateAuthorities.signingCaPem },
        { what: `${org.name} TLS CA`, pem: org.certificateAuthorities.tlsCaPem },
      ] : []),
      ...topology.nodes.filter((node) => node.org === org && node.tlsCertificatePem)
        .map((node) => ({ what: `${node.name} TLS`, pem: node.tlsCertificatePem as string })),
    ];
    if (known.length === 0) {
      return [];
    }
    const expiries = known.map((certificate) => ({ what: certificate.what, notAfter: new Date(new X509Certificate(certificate.pem).validTo) }));
    const earliest = Math.min(...expiries.map((expiry) => expiry.notAfter.getTime())) / 1000;
    const first = expiries.filter((expiry) => expiry.notAfter.getTime() / 1000 === earliest).map((expiry) => expiry.what);
    const day = new Date(earliest * 1000).toISOString().slice(0, 10);
    const keepKeys = topology.nodes.some((node) => node.org === org && node.role === 'orderer')
      ? ' Renew consenter TLS certificates with the same keys: Raft matches consenters by their public key.' : '';
    return [{
      alert: Alerts.CERTIFICATE_EXPIRY,
      // time() is a scalar: vector() makes the comparison an instant vector that can fire.
      expr: `vector(time()) > ${earliest - settings.certificateExpiryDays * 86400}`,
      labels: { severity: 'warning', fabric_org: org.name },
      annotations: {
        summary: `Certificates of ${org.name} expire on ${day}`,
        description: `${first.join(', ')} expire${first.length === 1 ? 's' : ''} on ${day}, in less than ${settings.certificateExpiryDays} days.${keepKeys}`,
      },
    }];
  });
}

function jobFailed(topology: MonitoredTopology): AlertRule {
  return {
    alert: Alerts.JOB_FAILED,
    expr: `${selector(topology, 'kube_job_failed', { condition: 'true' })} > 0`,
    labels: { severity: 'critical' },
    annotations: {
      summary: `Job {{ $labels.job_name }} of namespace ${topology.namespace} failed`,
      description: `A Hyperkube Job gave up: read its log (kubectl -n ${topology.namespace} logs job/{{ $labels.job_name }}) or run hyperkube status -n ${topology.namespace}; it states what differs from the model and why.`,
    },
  };
}
