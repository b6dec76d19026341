import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import * as k8s from '../../../imports/k8s';
import { Monitoring } from '../../../lib';
import { TestNetwork } from '../../../apps/test-network/network';

/** The kit's Prometheus image, built from the Go module proxy (cluster/build-images.sh). */
const PROMETHEUS_IMAGE = process.env.PROMETHEUS_IMAGE ?? 'docker.io/prom/prometheus:v3.16.0';
const PROMETHEUS_PORT = 9090;

/**
 * The monitoring scenario's app: the reference network as run.sh applied it, plus its Monitoring
 * with short intervals so that the scenario takes seconds. The monitoring objects and a plain
 * Prometheus Deployment that mounts `configVolume()` go to <outdir>/monitoring, which the scenario
 * applies to the running reference network (a unit test shows the rest is the network unchanged).
 */
const outdir = process.env.MONITORING_OUTDIR ?? 'dist';
const app = new App({ outdir: join(outdir, 'network') });
const network = new TestNetwork(app, 'test-network', { chaincodeImage: process.env.HYPERKUBE_CHAINCODE_IMAGE });
const monitoring = new Monitoring(network, 'monitoring', {
  scrapeInterval: '2s',
  evaluationInterval: '2s',
  alertFor: '4s',
  heightLagFor: '10s',
});
app.synth();

const prometheus = new Chart(new App(), 'prometheus', { namespace: network.namespace });
const labels = { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'hyperkube-e2e' };
new k8s.KubeDeployment(prometheus, 'deployment', {
  metadata: { name: 'prometheus', labels },
  spec: {
    replicas: 1,
    selector: { matchLabels: labels },
    template: {
      metadata: { labels },
      spec: {
        automountServiceAccountToken: false,
        containers: [{
          name: 'prometheus',
          image: PROMETHEUS_IMAGE,
          args: [
            `--config.file=${Monitoring.CONFIG_DIR}/prometheus.yml`,
            '--storage.tsdb.path=/prometheus',
            `--web.listen-address=:${PROMETHEUS_PORT}`,
          ],
          ports: [{ name: 'http', containerPort: PROMETHEUS_PORT }],
          readinessProbe: { httpGet: { path: '/-/ready', port: k8s.IntOrString.fromNumber(PROMETHEUS_PORT) }, periodSeconds: 1 },
          volumeMounts: [
            { name: 'config', mountPath: Monitoring.CONFIG_DIR, readOnly: true },
            { name: 'data', mountPath: '/prometheus' },
          ],
        }],
        volumes: [monitoring.configVolume('config'), { name: 'data', emptyDir: {} }],
      },
    },
  },
});
new k8s.KubeService(prometheus, 'service', {
  metadata: { name: 'prometheus', labels },
  spec: { selector: labels, ports: [{ name: 'http', port: PROMETHEUS_PORT, targetPort: k8s.IntOrString.fromNumber(PROMETHEUS_PORT) }] },
});

const objects = [...monitoring.node.findAll(), ...prometheus.node.findAll()].filter(ApiObject.isApiObject).map((object) => object.toJson());
mkdirSync(join(outdir, 'monitoring'), { recursive: true });
writeFileSync(join(outdir, 'monitoring', 'monitoring.k8s.yaml'), Yaml.stringify(...objects));
writeFileSync(join(outdir, 'monitoring', 'dashboard.json'), `${JSON.stringify(monitoring.dashboard, undefined, 2)}\n`);
