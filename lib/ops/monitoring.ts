import { Construct } from 'constructs';
import * as yaml from 'js-yaml';
import * as k8s from '../../imports/k8s';
import {
  PrometheusRule, PrometheusRuleSpecGroupsRulesExpr, ServiceMonitor, ServiceMonitorSpecEndpointsRelabelingsAction,
  ServiceMonitorSpecEndpointsScheme,
} from '../../imports/monitoring.coreos.com';
import { FabricChart } from '../core/fabric-chart';
import { Component, componentLabels, LabelKeys } from '../core/labels';
import { checkProps, describeValue, optionalBoolean, optionalInteger, optionalRecord, optionalString, rejectUnknownProps } from '../core/props';
import { namedConfigMap, projectedVolume, ProjectedFile } from '../core/workload';
import { IdentityKeys } from '../identity/identity-provider';
import { MspKeys, provideIdentity } from '../org/msp';
import { IOrganization } from '../org/organization';
import { AlertSettings, alertRuleGroups, RuleGroup } from './alert-rules';
import { networkDashboard } from './dashboards';
import { PROMETHEUS_CONFIG_DIR, PrometheusFiles, prometheusConfig, targetLabels } from './scrape-config';
import { MonitoredNode, MonitoredTopology, readTopology, topologyFingerprint } from './topology';

/** Props for `Monitoring`. */
export interface MonitoringProps {
  /**
   * Also writes a ServiceMonitor per node and a PrometheusRule, for a Prometheus run by the
   * Prometheus Operator (its CRDs must be installed, or the apply fails on them).
   * @default false
   */
  readonly prometheusOperator?: boolean;
  /**
   * Labels of the ServiceMonitors and the PrometheusRule, for the selectors of your `Prometheus`
   * resource (for example `{ release: 'kube-prometheus-stack' }`).
   * @default none
   */
  readonly operatorLabels?: Record<string, string>;
  /** How often Prometheus scrapes every node. @default '30s' */
  readonly scrapeInterval?: string;
  /** How often the scrape config's Prometheus evaluates the rules. @default '30s' */
  readonly evaluationInterval?: string;
  /** How long a node, leader or consenter condition must hold before its alert fires. @default '2m' */
  readonly alertFor?: string;
  /** Blocks a peer may lag behind its channel's highest height. @default 10 */
  readonly heightLagBlocks?: number;
  /** How long a peer may lag by more than `heightLagBlocks` before its alert fires. @default '5m' */
  readonly heightLagFor?: string;
  /** Raft leader changes of a channel within 15 minutes above which it alerts. @default 3 */
  readonly leaderChanges?: number;
  /** Days before the first known certificate of an organization expires that its alert fires. @default 30 */
  readonly certificateExpiryDays?: number;
  /**
   * Whether kube-state-metrics runs in the cluster: the failed-Job alert reads its `kube_job_failed`.
   * Without it, that alert is left out rather than never firing.
   * @default false
   */
  readonly kubeStateMetrics?: boolean;
  /** Writes the Grafana dashboard ConfigMap. @default true */
  readonly dashboards?: boolean;
}

const MONITORING_PROPS: Record<keyof MonitoringProps, true> = {
  prometheusOperator: true, operatorLabels: true, scrapeInterval: true, evaluationInterval: true, alertFor: true, heightLagBlocks: true,
  heightLagFor: true, leaderChanges: true, certificateExpiryDays: true, kubeStateMetrics: true, dashboards: true,
};

/** Prometheus's duration syntax, units from largest to smallest, each at most once. */
const DURATION = /^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$/;
const DURATION_UNITS_MS: Record<string, number> = { y: 31536000000, w: 604800000, d: 86400000, h: 3600000, m: 60000, s: 1000, ms: 1 };
/** Prometheus's default scrape timeout, which may not exceed the interval. */
const DEFAULT_SCRAPE_TIMEOUT_MS = 10000;

/**
 * Monitoring of a network, generated from its topology: a Prometheus scrape config (ConfigMap
 * `hyperkube-prometheus`: `prometheus.yml` and `rules.yml`), alerts per channel and consenter, a
 * Grafana dashboard per network (ConfigMap `hyperkube-dashboard`, labelled `grafana_dashboard: "1"`
 * for Grafana's sidecar), on request ServiceMonitors and a PrometheusRule, and per organization a
 * TLS client identity (Secret `<org>-metrics`) that its nodes' operations endpoints accept.
 *
 * Create it after every organization and channel of the chart: it reads them when it is created.
 */
export class Monitoring extends Construct {
  /** Name of the ConfigMap with `prometheus.yml` and `rules.yml`. */
  public static readonly CONFIG_MAP = 'hyperkube-prometheus';
  /** Name of the ConfigMap with the Grafana dashboard. */
  public static readonly DASHBOARD_CONFIG_MAP = 'hyperkube-dashboard';
  /** Where `configVolume()` is mounted: `prometheus.yml` names its files there. */
  public static readonly CONFIG_DIR = PROMETHEUS_CONFIG_DIR;

  private readonly topology: MonitoredTopology;
  private readonly rules: RuleGroup[];
  private readonly dashboardJson: Record<string, unknown>;

  public constructor(scope: Construct, id: string, props: MonitoringProps = {}) {
    super(scope, id);
    const owner = `Monitoring ${id}`;
    checkProps(owner, props);
    rejectUnknownProps(owner, props, MONITORING_PROPS);
    const chart = FabricChart.find(this);
    this.topology = readTopology(chart);
    if (this.topology.nodes.length === 0) {
      throw new Error(`${owner}: the chart has no peer or consenter to monitor yet. Create the Monitoring construct after the organizations and channels of FabricChart ${chart.node.id}.`);
    }
    const scrapeInterval = duration(owner, 'scrapeInterval', props.scrapeInterval, '30s');
    const evaluationInterval = duration(owner, 'evaluationInterval', props.evaluationInterval, '30s');
    const settings: AlertSettings = {
      alertFor: duration(owner, 'alertFor', props.alertFor, '2m'),
      heightLagBlocks: optionalInteger(owner, 'heightLagBlocks', props.heightLagBlocks, 1) ?? 10,
      heightLagFor: duration(owner, 'heightLagFor', props.heightLagFor, '5m'),
      leaderChanges: optionalInteger(owner, 'leaderChanges', props.leaderChanges, 1) ?? 3,
      certificateExpiryDays: optionalInteger(owner, 'certificateExpiryDays', props.certificateExpiryDays, 1) ?? 30,
      kubeStateMetrics: optionalBoolean(owner, 'kubeStateMetrics', props.kubeStateMetrics) ?? false,
    };
    const operatorLabels = labelRecord(owner, props.operatorLabels);
    this.rules = alertRuleGroups(this.topology, settings);
    this.dashboardJson = networkDashboard(this.topology, `hyperkube-${this.topology.namespace}`);

    for (const org of this.topology.orgs) {
      provideIdentity(this, org, { secretName: metricsSecretName(org), name: metricsSecretName(org), tlsHosts: [metricsSecretName(org)] });
    }
    const labels = componentLabels(Component.MONITORING);
    namedConfigMap(this, 'prometheus-config', {
      metadata: { name: Monitoring.CONFIG_MAP, labels },
      data: {
        [PrometheusFiles.CONFIG]: toYaml(prometheusConfig(this.topology, { scrapeInterval, scrapeTimeout: scrapeTimeout(scrapeInterval), evaluationInterval })),
        [PrometheusFiles.RULES]: toYaml({ groups: this.rules }),
      },
    });
    if (optionalBoolean(owner, 'dashboards', props.dashboards) ?? true) {
      namedConfigMap(this, 'dashboard', {
        metadata: { name: Monitoring.DASHBOARD_CONFIG_MAP, labels: { ...labels, grafana_dashboard: '1' } },
        data: { [`hyperkube-${this.topology.namespace}.json`]: `${JSON.stringify(this.dashboardJson, undefined, 2)}\n` },
      });
    }
    if (optionalBoolean(owner, 'prometheusOperator', props.prometheusOperator) ?? false) {
      this.addOperatorObjects({ ...labels, ...operatorLabels }, scrapeInterval);
    }
    const fingerprint = topologyFingerprint(this.topology);
    this.node.addValidation({
      validate: () => (topologyFingerprint(readTopology(chart)) === fingerprint ? [] : [
        `${owner}: the network changed after the Monitoring construct was created, which would leave nodes or channels unmonitored. Create it after every organization and channel of FabricChart ${chart.node.id}.`,
      ]),
    });
  }

  /** The alerting rules, as `rules.yml` and the PrometheusRule hold them (a copy). */
  public get ruleGroups(): RuleGroup[] {
    return structuredClone(this.rules);
  }

  /** The Grafana dashboard, as ConfigMap `hyperkube-dashboard` holds it (a copy). */
  public get dashboard(): Record<string, unknown> {
    return structuredClone(this.dashboardJson);
  }

  /**
   * A volume holding what `prometheus.yml` reads: itself, `rules.yml`, and per organization its TLS
   * CA and the `<org>-metrics` client pair. Mount it at `Monitoring.CONFIG_DIR` in a Prometheus of
   * the network's namespace and start it with `--config.file=<CONFIG_DIR>/prometheus.yml`.
   */
  public configVolume(name = 'hyperkube-prometheus'): k8s.Volume {
    const files: ProjectedFile[] = [
      { source: 'configMap', name: Monitoring.CONFIG_MAP, key: PrometheusFiles.CONFIG, path: PrometheusFiles.CONFIG },
      { source: 'configMap', name: Monitoring.CONFIG_MAP, key: PrometheusFiles.RULES, path: PrometheusFiles.RULES },
      ...this.topology.orgs.flatMap((org): ProjectedFile[] => {
        const tls = PrometheusFiles.tls(org.name);
        return [
          { source: 'configMap', name: org.mspConfigMapName, key: MspKeys.TLS_CA, path: tls.ca },
          { source: 'secret', name: metricsSecretName(org), key: IdentityKeys.TLS_CERT, path: tls.cert },
          { source: 'secret', name: metricsSecretName(org), key: IdentityKeys.TLS_KEY, path: tls.key },
        ];
      }),
    ];
    return projectedVolume(name, files);
  }

  /** A ServiceMonitor per node, each verifying its node's own name, and the PrometheusRule. */
  private addOperatorObjects(labels: Record<string, string>, scrapeInterval: string): void {
    for (const node of this.topology.nodes) {
      new ServiceMonitor(this, `service-monitor-${node.name}`, {
        metadata: { name: node.name, labels },
        spec: {
          selector: { matchLabels: componentLabels(node.role === 'peer' ? Component.PEER : Component.ORDERER, node.org.name) },
          endpoints: [{
            port: 'operations',
            scheme: ServiceMonitorSpecEndpointsScheme.HTTPS,
            path: '/metrics',
            interval: scrapeInterval,
            scrapeTimeout: scrapeTimeout(scrapeInterval),
            tlsConfig: {
              ca: { configMap: { name: node.org.mspConfigMapName, key: MspKeys.TLS_CA } },
              cert: { secret: { name: metricsSecretName(node.org), key: IdentityKeys.TLS_CERT } },
              keySecret: { name: metricsSecretName(node.org), key: IdentityKeys.TLS_KEY },
              serverName: node.host,
            },
            relabelings: this.nodeRelabelings(node),
          }],
        },
      });
    }
    new PrometheusRule(this, 'prometheus-rule', {
      metadata: { name: 'hyperkube-alerts', labels },
      spec: {
        groups: this.rules.map((group) => ({
          name: group.name,
          rules: group.rules.map((rule) => ({ ...rule, expr: PrometheusRuleSpecGroupsRulesExpr.fromString(rule.expr) })),
        })),
      },
    });
  }

  /**
   * The selector picks the organization's nodes of one kind (their Services carry no per-node
   * label): keep only this node's Service, then label it as the scrape config does.
   */
  private nodeRelabelings(node: MonitoredNode) {
    const keep = { action: ServiceMonitorSpecEndpointsRelabelingsAction.KEEP, sourceLabels: ['__meta_kubernetes_service_name'], regex: node.name };
    const set = Object.entries(targetLabels(this.topology, node)).filter(([label]) => label !== 'namespace')
      .map(([targetLabel, replacement]) => ({ action: ServiceMonitorSpecEndpointsRelabelingsAction.REPLACE, targetLabel, replacement }));
    return [keep, ...set];
  }
}

/** The Secret of `org`'s TLS client identity for scrapes. */
export function metricsSecretName(org: IOrganization): string {
  return `${org.name}-metrics`;
}

function duration(owner: string, prop: string, value: unknown, fallback: string): string {
  const text = optionalString(owner, prop, value, fallback) ?? fallback;
  if (text === '' || !DURATION.test(text) || durationMs(text) === 0) {
    throw new Error(`${owner}: ${prop} ${describeValue(text)} is not a Prometheus duration. Write a whole number with units from y, w, d, h, m, s, ms, largest first, more than zero (for example "${fallback}" or "1m30s").`);
  }
  return text;
}

function durationMs(text: string): number {
  return [...text.matchAll(/([0-9]+)(ms|[ywdhms])/g)].reduce((sum, [, amount, unit]) => sum + Number(amount) * DURATION_UNITS_MS[unit], 0);
}

/** Prometheus refuses a scrape timeout above the interval: its default, or the interval when shorter. */
export function scrapeTimeout(interval: string): string {
  return durationMs(interval) < DEFAULT_SCRAPE_TIMEOUT_MS ? interval : '10s';
}

function labelRecord(owner: string, value: unknown): Record<string, string> {
  const record = optionalRecord(owner, 'operatorLabels', value) ?? {};
  for (const [key, label] of Object.entries(record)) {
    if (typeof label !== 'string') {
      throw new Error(`${owner}: operatorLabels.${key} must be a string, got ${describeValue(label)}. Write it like { release: "kube-prometheus-stack" }.`);
    }
    if (key === LabelKeys.COMPONENT) {
      throw new Error(`${owner}: operatorLabels may not set ${LabelKeys.COMPONENT}, which Hyperkube sets to "monitoring" on these objects. Select them with another label.`);
    }
  }
  return record as Record<string, string>;
}

function toYaml(value: unknown): string {
  return yaml.dump(value, { lineWidth: -1, noRefs: true, sortKeys: false });
}

