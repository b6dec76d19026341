import { X509Certificate } from 'node:crypto';
import { Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { FabricCaIdentities, FabricChart, GeneratedIdentities, IIdentityProvider, Monitoring, MonitoringProps, Orderer, PeerOrg } from '../../lib';
import { MultiOrgNetwork } from '../../apps/multi-org/network';
import { TestNetwork } from '../../apps/test-network/network';
import { developmentIdentities, find, hygieneProblems, KubeObject, ofKind, secretData, testChart } from '../util';

function monitoredNetwork(props: MonitoringProps = {}, identities: IIdentityProvider = developmentIdentities()): { chart: TestNetwork; monitoring: Monitoring; objects: KubeObject[] } {
  const chart = new TestNetwork(Testing.app(), 'test-network', { identities });
  const monitoring = new Monitoring(chart, 'monitoring', props);
  return { chart, monitoring, objects: Testing.synth(chart) as KubeObject[] };
}

function prometheusYml(objects: KubeObject[]): any {
  return yaml.load(find(objects, 'ConfigMap', 'hyperkube-prometheus').data['prometheus.yml']);
}

function rulesYml(objects: KubeObject[]): any {
  return yaml.load(find(objects, 'ConfigMap', 'hyperkube-prometheus').data['rules.yml']);
}

function rule(objects: KubeObject[], alert: string, channel?: string): any {
  const rules = rulesYml(objects).groups.flatMap((group: any) => group.rules);
  return rules.find((candidate: any) => candidate.alert === alert && (channel === undefined || candidate.labels.channel === channel));
}

const key = (object: KubeObject) => `${object.kind}/${object.metadata.name}`;

describe('Monitoring', () => {
  const plain = Testing.synth(new TestNetwork(Testing.app(), 'test-network', { identities: developmentIdentities() })) as KubeObject[];
  const monitored = monitoredNetwork();

  test('GIVEN the reference network WHEN Monitoring is added THEN every object of the network stays byte-identical and only the monitoring objects are new', () => {
    const added = monitored.objects.filter((object) => !plain.some((candidate) => key(candidate) === key(object)));
    expect(added.map(key)).toEqual([
      'Secret/orderer-metrics', 'Secret/org1-metrics', 'Secret/org2-metrics', 'ConfigMap/hyperkube-prometheus', 'ConfigMap/hyperkube-dashboard',
    ]);
    const kept = monitored.objects.filter((object) => !added.includes(object));
    expect(kept).toEqual(plain);
  });

  test('GIVEN the reference network with Monitoring WHEN synthesized THEN its objects match the snapshot and pass the hygiene rules', () => {
    const objects = monitoredNetwork({ prometheusOperator: true }).objects;
    const monitoring = objects.filter((object) => object.metadata.labels?.['app.kubernetes.io/component'] === 'monitoring');
    expect(monitoring.map((object) => ({ ...object, data: object.kind === 'Secret' ? '<keys>' : object.data }))).toMatchSnapshot();
    expect(hygieneProblems(objects)).toEqual([]);
  });

  test('GIVEN the reference network WHEN its scrape config is read THEN each organization is one job whose nodes are static targets at their Service FQDN, labelled with their org, name and role', () => {
    const config = prometheusYml(monitored.objects);
    expect(config.global).toEqual({ scrape_interval: '30s', scrape_timeout: '10s', evaluation_interval: '30s' });
    expect(config.rule_files).toEqual(['/etc/prometheus/hyperkube/rules.yml']);
    expect(config.scrape_configs.map((job: any) => [job.job_name, job.static_configs.map((target: any) => target.targets.join()).join(' ')])).toEqual([
      ['hyperkube-fabric-orderer', 'orderer-node0.fabric.svc.cluster.local:9443 orderer-node1.fabric.svc.cluster.local:9443 orderer-node2.fabric.svc.cluster.local:9443'],
      ['hyperkube-fabric-org1', 'org1-peer0.fabric.svc.cluster.local:9443'],
      ['hyperkube-fabric-org2', 'org2-peer0.fabric.svc.cluster.local:9443'],
    ]);
    const org1 = config.scrape_configs[1];
    expect(org1.scheme).toBe('https');
    expect(org1.tls_config).toEqual({
      ca_file: '/etc/prometheus/hyperkube/tls/org1/ca.crt', cert_file: '/etc/prometheus/hyperkube/tls/org1/tls.crt', key_file: '/etc/prometheus/hyperkube/tls/org1/tls.key',
    });
    expect(org1.tls_config.insecure_skip_verify).toBeUndefined();
    expect(org1.static_configs[0].labels).toEqual({ namespace: 'fabric', fabric_org: 'org1', fabric_node: 'org1-peer0', fabric_role: 'peer' });
  });

  test('GIVEN Monitoring WHEN its config volume is built THEN it holds the config, the rules and per organization the TLS CA of its MSP ConfigMap and the pair of its metrics Secret, at the paths the config names', () => {
    const volume = monitored.monitoring.configVolume('config');
    const files = volume.projected!.sources!.flatMap((source) => (source.configMap ?? source.secret)!.items!.map((item) => `${source.configMap ? 'configMap' : 'secret'}/${source.configMap?.name ?? source.secret?.name}/${item.key} -> ${item.path}`));
    expect(files).toEqual([
      'configMap/hyperkube-prometheus/prometheus.yml -> prometheus.yml',
      'configMap/hyperkube-prometheus/rules.yml -> rules.yml',
      'configMap/orderer-msp/tlsca.pem -> tls/orderer/ca.crt',
      'secret/orderer-metrics/tls.crt -> tls/orderer/tls.crt',
      'secret/orderer-metrics/tls.key -> tls/orderer/tls.key',
      'configMap/org1-msp/tlsca.pem -> tls/org1/ca.crt',
      'secret/org1-metrics/tls.crt -> tls/org1/tls.crt',
      'secret/org1-metrics/tls.key -> tls/org1/tls.key',
      'configMap/org2-msp/tlsca.pem -> tls/org2/ca.crt',
      'secret/org2-metrics/tls.crt -> tls/org2/tls.crt',
      'secret/org2-metrics/tls.key -> tls/org2/tls.key',
    ]);
  });

  test('GIVEN Monitoring WHEN the metrics Secret of an organization is read THEN it holds only a TLS client pair issued by that organization\'s TLS CA, which its nodes accept on the operations endpoint', () => {
    const secret = secretData(find(monitored.objects, 'Secret', 'org1-metrics'));
    expect(Object.keys(secret).sort()).toEqual(['tls.crt', 'tls.key']);
    const certificate = new X509Certificate(secret['tls.crt']);
    const tlsCa = new X509Certificate(find(monitored.objects, 'ConfigMap', 'org1-msp').data['tlsca.pem']);
    expect(certificate.checkIssued(tlsCa) && certificate.verify(tlsCa.publicKey)).toBe(true);
    expect(certificate.keyUsage).toContain('1.3.6.1.5.5.7.3.2');
    const org2Ca = new X509Certificate(find(monitored.objects, 'ConfigMap', 'org2-msp').data['tlsca.pem']);
    expect(certificate.checkIssued(org2Ca)).toBe(false);
  });

  test('GIVEN prometheusOperator WHEN synthesized THEN each node has a ServiceMonitor that keeps only its own Service and verifies its FQDN against its organization\'s TLS CA', () => {
    const { objects } = monitoredNetwork({ prometheusOperator: true, operatorLabels: { release: 'kube-prometheus-stack' } });
    expect(ofKind(objects, 'ServiceMonitor').map((monitor) => monitor.metadata.name)).toEqual(['orderer-node0', 'orderer-node1', 'orderer-node2', 'org1-peer0', 'org2-peer0']);
    const monitor = find(objects, 'ServiceMonitor', 'org2-peer0');
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor.metadata.labels).toEqual(expect.objectContaining({ release: 'kube-prometheus-stack', 'app.kubernetes.io/component': 'monitoring' }));
    const service = find(objects, 'Service', 'org2-peer0');
    expect(service.metadata.labels).toEqual(expect.objectContaining(monitor.spec.selector.matchLabels));
    const [endpoint] = monitor.spec.endpoints;
    expect(service.spec.ports.map((port: any) => port.name)).toContain(endpoint.port);
    expect(endpoint.relabelings[0]).toEqual({ action: 'keep', sourceLabels: ['__meta_kubernetes_service_name'], regex: 'org2-peer0' });
    expect(endpoint.relabelings.slice(1).map((relabel: any) => `${relabel.targetLabel}=${relabel.replacement}`)).toEqual(['fabric_org=org2', 'fabric_node=org2-peer0', 'fabric_role=peer']);
    expect(endpoint.tlsConfig).toEqual({
      ca: { configMap: { name: 'org2-msp', key: 'tlsca.pem' } },
      cert: { secret: { name: 'org2-metrics', key: 'tls.crt' } },
      keySecret: { name: 'org2-metrics', key: 'tls.key' },
      serverName: 'org2-peer0.fabric.svc.cluster.local',
    });
    const rules = find(objects, 'PrometheusRule', 'hyperkube-alerts');
    expect(rules.spec.groups).toEqual(rulesYml(objects).groups);
  });

  test('GIVEN no prometheusOperator WHEN synthesized THEN no object needs the operator\'s CRDs', () => {
    expect(monitored.objects.filter((object) => object.apiVersion.startsWith('monitoring.coreos.com'))).toEqual([]);
  });

  test('GIVEN the reference network WHEN its rules are read THEN mychannel alerts on no leader, churn, fewer than its 3 consenters active and a lagging peer', () => {
    expect(rulesYml(monitored.objects).groups.map((group: any) => group.name)).toEqual(['hyperkube-nodes', 'hyperkube-channel-mychannel', 'hyperkube-certificates']);
    expect(rule(monitored.objects, 'HyperkubeRaftNoLeader', 'mychannel').expr).toBe(
      'max(consensus_etcdraft_is_leader{namespace="fabric",channel="mychannel"}) < 1 or absent(consensus_etcdraft_is_leader{namespace="fabric",channel="mychannel"})');
    expect(rule(monitored.objects, 'HyperkubeConsenterInactive', 'mychannel').expr).toBe(
      'max(consensus_etcdraft_active_nodes{namespace="fabric",channel="mychannel"}) < 3 or absent(consensus_etcdraft_active_nodes{namespace="fabric",channel="mychannel"})');
    expect(rule(monitored.objects, 'HyperkubeRaftLeaderChurn', 'mychannel').expr).toBe(
      'max(increase(consensus_etcdraft_leader_changes{namespace="fabric",channel="mychannel"}[15m])) > 3');
    const lag = rule(monitored.objects, 'HyperkubePeerHeightLag', 'mychannel');
    expect(lag.expr).toBe('scalar(max(ledger_blockchain_height{namespace="fabric",channel="mychannel"})) - ledger_blockchain_height{namespace="fabric",channel="mychannel",fabric_role="peer"} > 10');
    expect(lag.for).toBe('5m');
    expect(rule(monitored.objects, 'HyperkubeNodeDown').expr).toBe('up{namespace="fabric",fabric_role=~"peer|orderer"} == 0');
    expect(rule(monitored.objects, 'HyperkubeJobFailed')).toBeUndefined();
  });

  test('GIVEN Monitoring WHEN its rule groups and dashboard are read and changed THEN they equal what it wrote and changing them changes nothing', () => {
    const { monitoring } = monitored;
    expect(monitoring.ruleGroups).toEqual(rulesYml(monitored.objects).groups);
    monitoring.ruleGroups[0].rules.length = 0;
    (monitoring.dashboard.panels as unknown[]).length = 0;
    expect(monitoring.ruleGroups).toEqual(rulesYml(monitored.objects).groups);
    expect(monitoring.dashboard).toEqual(JSON.parse(find(monitored.objects, 'ConfigMap', 'hyperkube-dashboard').data['hyperkube-fabric.json']));
  });

  test('GIVEN thresholds and kubeStateMetrics WHEN the rules are read THEN they use the thresholds and alert on a failed Job of the namespace', () => {
    const { objects } = monitoredNetwork({ alertFor: '30s', heightLagBlocks: 5, heightLagFor: '1m', leaderChanges: 7, kubeStateMetrics: true });
    expect(rule(objects, 'HyperkubeRaftNoLeader', 'mychannel').for).toBe('30s');
    expect(rule(objects, 'HyperkubePeerHeightLag', 'mychannel')).toEqual(expect.objectContaining({ for: '1m', expr: expect.stringMatching(/ > 5$/) }));
    expect(rule(objects, 'HyperkubeRaftLeaderChurn', 'mychannel').expr).toMatch(/ > 7$/);
    expect(rule(objects, 'HyperkubeJobFailed').expr).toBe('kube_job_failed{namespace="fabric",condition="true"} > 0');
  });

  test('GIVEN generated identities valid until 2030-06-01 WHEN the rules are read THEN each organization alerts certificateExpiryDays before that date, naming the certificates', () => {
    const identities = new GeneratedIdentities({ seed: GeneratedIdentities.DEVELOPMENT_SEED, notAfter: new Date('2030-06-01T00:00:00Z') });
    const { objects } = monitoredNetwork({ certificateExpiryDays: 10 }, identities);
    const expiry = rulesYml(objects).groups.find((group: any) => group.name === 'hyperkube-certificates').rules;
    expect(expiry.map((candidate: any) => candidate.labels.fabric_org)).toEqual(['orderer', 'org1', 'org2']);
    expect(expiry[0].expr).toBe(`vector(time()) > ${Date.parse('2030-05-22T00:00:00Z') / 1000}`);
    expect(expiry[0].annotations.description).toBe('orderer signing CA, orderer TLS CA, orderer-node0 TLS, orderer-node1 TLS, orderer-node2 TLS expire on 2030-06-01, in less than 10 days. Renew consenter TLS certificates with the same keys: Raft matches consenters by their public key.');
  });

  test('GIVEN Fabric CA identities WHEN Monitoring is added THEN the scrape TLS still comes from the MSP ConfigMaps and metrics Secrets the cluster holds, no certificate is inlined and no expiry rule is guessed', () => {
    const { objects } = monitoredNetwork({ prometheusOperator: true }, new FabricCaIdentities());
    const config = find(objects, 'ConfigMap', 'hyperkube-prometheus');
    expect(JSON.stringify(config)).not.toContain('BEGIN CERTIFICATE');
    expect(find(objects, 'ServiceMonitor', 'org1-peer0').spec.endpoints[0].tlsConfig.ca).toEqual({ configMap: { name: 'org1-msp', key: 'tlsca.pem' } });
    expect(rulesYml(objects).groups.map((group: any) => group.name)).not.toContain('hyperkube-certificates');
    // The org's enrollment Job makes the metrics Secret in the cluster, and its CronJob renews it.
    expect(ofKind(objects, 'Secret').map((secret) => secret.metadata.name)).not.toContain('org1-metrics');
    const request = JSON.stringify({ secretName: 'org1-metrics', name: 'org1-metrics', tlsHosts: ['org1-metrics'] }).slice(0, -1);
    const enrollment = ofKind(objects, 'Job').filter((job) => job.metadata.name.startsWith('org1-enroll-'));
    expect(enrollment.map((job) => JSON.stringify(job).includes(JSON.stringify(request).slice(1, -1)))).toEqual([true]);
    expect(JSON.stringify(find(objects, 'CronJob', 'org1-renew-identities'))).toContain(JSON.stringify(request).slice(1, -1));
  });

  test('GIVEN the multi-org app WHEN monitored THEN each channel has its own alerts and dashboard row, with the consenters of all its ordering organizations', () => {
    const chart = new MultiOrgNetwork(Testing.app(), 'multi-org', { identities: developmentIdentities() });
    const monitoring = new Monitoring(chart, 'monitoring');
    const objects = Testing.synth(chart) as KubeObject[];
    expect(rule(objects, 'HyperkubeConsenterInactive', 'trade').expr).toMatch(/ < 5 or /);
    expect(rule(objects, 'HyperkubeConsenterInactive', 'claims').expr).toMatch(/ < 2 or /);
    expect(rule(objects, 'HyperkubeRaftNoLeader', 'trade').annotations.description).toContain('(ord-a-node0, ord-a-node1, ord-a-node2, ord-b-node0, ord-b-node1)');
    const dashboard = JSON.parse(find(objects, 'ConfigMap', 'hyperkube-dashboard').data[`hyperkube-${chart.namespace}.json`]);
    expect(dashboard).toEqual(monitoring.dashboard);
    expect(dashboard.panels.filter((panel: any) => panel.type === 'row').map((panel: any) => panel.title)).toEqual(['Channel claims', 'Channel trade']);
  });

  test('GIVEN the reference network WHEN its dashboard is read THEN it is labelled for Grafana\'s sidecar and shows height, transaction rate, endorsement latency and Raft leader of mychannel on the chosen data source', () => {
    const configMap = find(monitored.objects, 'ConfigMap', 'hyperkube-dashboard');
    expect(configMap.metadata.labels).toEqual(expect.objectContaining({ grafana_dashboard: '1' }));
    const dashboard = JSON.parse(configMap.data['hyperkube-fabric.json']);
    expect(dashboard.uid).toBe('hyperkube-fabric');
    const panels = dashboard.panels.filter((panel: any) => panel.type === 'timeseries');
    expect(panels.map((panel: any) => panel.targets[0].expr)).toEqual([
      'max by (fabric_node) (ledger_blockchain_height{namespace="fabric",channel="mychannel"})',
      'sum by (fabric_node) (rate(ledger_transaction_count{namespace="fabric",channel="mychannel",validation_code="VALID"}[$__rate_interval]))',
      'histogram_quantile(0.95, sum by (le, fabric_node) (rate(endorser_proposal_duration_bucket{namespace="fabric",channel="mychannel"}[$__rate_interval])))',
      'max by (fabric_node) (consensus_etcdraft_is_leader{namespace="fabric",channel="mychannel"})',
    ]);
    expect(panels.every((panel: any) => panel.datasource.uid === '${datasource}')).toBe(true);
    expect(panels.map((panel: any) => panel.gridPos)).toEqual([
      { x: 0, y: 1, w: 12, h: 8 }, { x: 12, y: 1, w: 12, h: 8 }, { x: 0, y: 9, w: 12, h: 8 }, { x: 12, y: 9, w: 12, h: 8 },
    ]);
  });

  test('GIVEN dashboards: false WHEN synthesized THEN no dashboard ConfigMap is written', () => {
    const { objects } = monitoredNetwork({ dashboards: false });
    expect(objects.filter((object) => object.metadata.name === 'hyperkube-dashboard')).toEqual([]);
  });

  test('GIVEN a scrape interval below Prometheus\'s 10s default timeout WHEN synthesized THEN the timeout is the interval', () => {
    const { objects } = monitoredNetwork({ scrapeInterval: '2s', prometheusOperator: true });
    expect(prometheusYml(objects).global).toEqual(expect.objectContaining({ scrape_interval: '2s', scrape_timeout: '2s' }));
    expect(find(objects, 'ServiceMonitor', 'org1-peer0').spec.endpoints[0].scrapeTimeout).toBe('2s');
  });

  test('GIVEN the same app WHEN synthesized twice THEN the monitoring objects are byte-identical', () => {
    expect(JSON.stringify(monitoredNetwork({ prometheusOperator: true }).objects)).toBe(JSON.stringify(monitoredNetwork({ prometheusOperator: true }).objects));
  });
});

describe('Monitoring errors', () => {
  const chartWithNodes = (): FabricChart => {
    const chart = testChart();
    new Orderer(chart, 'orderer', { mspId: 'OrdererMSP' });
    return chart;
  };

  test.each([
    [{ scrapeInterval: '30' }, 'Monitoring monitoring: scrapeInterval "30" is not a Prometheus duration. Write a whole number with units from y, w, d, h, m, s, ms, largest first, more than zero (for example "30s" or "1m30s").'],
    [{ alertFor: '0s' }, 'Monitoring monitoring: alertFor "0s" is not a Prometheus duration.'],
    [{ heightLagFor: '1s5m' }, 'Monitoring monitoring: heightLagFor "1s5m" is not a Prometheus duration.'],
    [{ evaluationInterval: 30 }, 'Monitoring monitoring: evaluationInterval must be a string, got number 30. Write it like "30s".'],
    [{ heightLagBlocks: 0 }, 'Monitoring monitoring: heightLagBlocks must be a whole number of at least 1, got number 0.'],
    [{ leaderChanges: 2.5 }, 'Monitoring monitoring: leaderChanges must be a whole number of at least 1, got number 2.5.'],
    [{ certificateExpiryDays: '30' }, 'Monitoring monitoring: certificateExpiryDays must be a whole number of at least 1, got "30".'],
    [{ prometheusOperator: 'yes' }, 'Monitoring monitoring: prometheusOperator must be true or false, got "yes".'],
    [{ operatorLabels: { release: 1 } }, 'Monitoring monitoring: operatorLabels.release must be a string, got number 1. Write it like { release: "kube-prometheus-stack" }.'],
    [{ operatorLabels: { 'app.kubernetes.io/component': 'x' } }, 'Monitoring monitoring: operatorLabels may not set app.kubernetes.io/component, which Hyperkube sets to "monitoring" on these objects. Select them with another label.'],
    [{ scrapeIntervall: '5s' }, 'Monitoring monitoring: unknown prop "scrapeIntervall" (did you mean "scrapeInterval"?).'],
  ])('GIVEN props %j WHEN Monitoring is created THEN it throws naming the prop, the value and the fix', (props, message) => {
    expect(() => new Monitoring(chartWithNodes(), 'monitoring', props as MonitoringProps)).toThrow(message);
  });

  test('GIVEN a chart without nodes yet WHEN Monitoring is created THEN it throws saying to create it after the organizations', () => {
    expect(() => new Monitoring(testChart(), 'monitoring')).toThrow('Monitoring monitoring: the chart has no peer or consenter to monitor yet. Create the Monitoring construct after the organizations and channels of FabricChart net.');
  });

  test('GIVEN an organization added after Monitoring WHEN synthesized THEN validation fails saying to create Monitoring last', () => {
    const chart = chartWithNodes();
    new Monitoring(chart, 'monitoring');
    new PeerOrg(chart, 'org1', { mspId: 'Org1MSP' });
    expect(() => Testing.synth(chart)).toThrow('Monitoring monitoring: the network changed after the Monitoring construct was created, which would leave nodes or channels unmonitored. Create it after every organization and channel of FabricChart net.');
  });

  test('GIVEN a PeerOrg user named metrics WHEN Monitoring is added THEN the Secret name clash names both constructs', () => {
    const chart = chartWithNodes();
    new PeerOrg(chart, 'org1', { mspId: 'Org1MSP', users: ['metrics'] });
    expect(() => new Monitoring(chart, 'monitoring')).toThrow(/Secret name "org1-metrics" is already used by net\/org1/);
  });

  test('GIVEN a plain Chart WHEN Monitoring is created in it THEN it throws saying it belongs in a FabricChart', () => {
    const chart = new (require('cdk8s').Chart)(Testing.app(), 'plain');
    expect(() => new Monitoring(chart, 'monitoring')).toThrow('plain/monitoring: Hyperkube constructs must be created inside a FabricChart');
  });
});
