import { MonitoredNode, MonitoredTopology } from './topology';

/** Where the Prometheus of the scrape config finds its files (`Monitoring.configVolume()`). */
export const PROMETHEUS_CONFIG_DIR = '/etc/prometheus/hyperkube';
/** File names in that folder. */
export const PrometheusFiles = {
  CONFIG: 'prometheus.yml',
  RULES: 'rules.yml',
  /** The TLS files of organization `org`, relative to the folder. */
  tls: (org: string) => ({ ca: `tls/${org}/ca.crt`, cert: `tls/${org}/tls.crt`, key: `tls/${org}/tls.key` }),
} as const;

/** The labels every series of a node carries, in the scrape config and the ServiceMonitors alike. */
export function targetLabels(topology: MonitoredTopology, node: MonitoredNode): Record<string, string> {
  return { namespace: topology.namespace, fabric_org: node.org.name, fabric_node: node.name, fabric_role: node.role };
}

/** The scrape intervals. */
export interface ScrapeSettings {
  readonly scrapeInterval: string;
  /** At most the interval, which Prometheus requires. */
  readonly scrapeTimeout: string;
  readonly evaluationInterval: string;
}

/**
 * A complete prometheus.yml for the network: one job per organization, whose TLS client pair its
 * nodes accept, with each node as a static target at its Service FQDN (the name its certificate
 * holds, so Prometheus verifies it against the organization's TLS CA as it dials).
 */
export function prometheusConfig(topology: MonitoredTopology, settings: ScrapeSettings): Record<string, unknown> {
  return {
    global: { scrape_interval: settings.scrapeInterval, scrape_timeout: settings.scrapeTimeout, evaluation_interval: settings.evaluationInterval },
    rule_files: [`${PROMETHEUS_CONFIG_DIR}/${PrometheusFiles.RULES}`],
    scrape_configs: topology.orgs.map((org) => {
      const tls = PrometheusFiles.tls(org.name);
      return {
        job_name: `hyperkube-${topology.namespace}-${org.name}`,
        scheme: 'https',
        metrics_path: '/metrics',
        tls_config: {
          ca_file: `${PROMETHEUS_CONFIG_DIR}/${tls.ca}`,
          cert_file: `${PROMETHEUS_CONFIG_DIR}/${tls.cert}`,
          key_file: `${PROMETHEUS_CONFIG_DIR}/${tls.key}`,
        },
        static_configs: topology.nodes.filter((node) => node.org === org)
          .map((node) => ({ targets: [node.operationsAddress], labels: targetLabels(topology, node) })),
      };
    }),
  };
}
