import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import { FabricChart } from '../../core/fabric-chart';
import { Component, componentLabels, selectorLabels } from '../../core/labels';
import { Ports, validateDnsLabel } from '../../core/naming';
import { checkProps, describeValue, hasMembers, rejectUnknownProps } from '../../core/props';
import {
  addService, containerPorts, containerSecurity, DefaultResources, envList,
  LEDGER_VOLUME, ledgerSize, READINESS_PERIOD_SECONDS, resourceRequirements, ResourceSettings, singletonStatefulSet,
} from '../../core/workload';
import { SCRIPTS_MOUNT_PATH, ScriptLibrary } from '../../internal/script-library';
import { OrgScope } from '../identity-provider';

/** Props for `FabricCa`. */
export interface FabricCaProps {
  /** The organization whose identities the CA issues; its name prefixes the CA's objects. */
  readonly org: OrgScope;
  /**
   * Name of a Secret you create in the namespace, with keys `username` and `password`: the CA's
   * bootstrap admin. It never appears in the manifests.
   * @default `<org>-ca-admin`
   */
  readonly adminSecretName?: string;
  /**
   * Name of a Secret with the CA endpoint's TLS pair (`tls.crt`, `tls.key`). `FabricCaIdentities`
   * makes it in the cluster; whoever enrolls trusts `tls.crt`.
   * @default `<org>-ca-tls`
   */
  readonly tlsSecretName?: string;
  /**
   * Lifetime of the certificates the CA issues (whole seconds).
   * @default Duration.days(365)
   */
  readonly certificateLifetime?: Duration;
  /**
   * Size of the volume holding the CAs' keys, certificates and registrations.
   * @default '1Gi'
   */
  readonly storage?: string;
  /**
   * CPU and memory of the CA server.
   * @default 50m/64Mi requested, 500m/256Mi limit
   */
  readonly resources?: ResourceSettings;
}

/** Every prop of `FabricCa`, so that a misspelt one is refused (the compiler keeps the list whole). */
const FABRIC_CA_PROPS: Record<keyof FabricCaProps, true> = {
  org: true, adminSecretName: true, tlsSecretName: true, certificateLifetime: true, storage: true, resources: true,
};

/** Where the CA server keeps its state: the pod's volume. */
const CA_HOME = '/var/hyperledger/fabric-ca-server';
/** Where the CA server finds its endpoint's TLS pair. */
const CA_TLS_DIR = '/var/hyperledger/fabric-ca-tls';
const CA_SCRIPT = 'ca-server.sh';

/**
 * An organization's Fabric CA 1.5, run in the cluster: one server with two CAs, `ca` for signing
 * identities and `tlsca` for TLS certificates, their keys and registrations on a volume that
 * outlives the pod, and TLS on its endpoint (port 7054, certificate issued by the CA itself). The
 * bootstrap admin comes from a Secret you create; no key or password is in the manifests. The
 * StatefulSet is the default child, so `ApiObject.of(ca)` is the escape hatch.
 */
export class FabricCa extends Construct {
  /** The name of the CA that issues signing identities (`fabric-ca-client --caname`). */
  public static readonly SIGNING_CA_NAME = 'ca';
  /** The name of the CA that issues TLS certificates. */
  public static readonly TLS_CA_NAME = 'tlsca';

  /** Service (and StatefulSet) name, `<org>-ca`. */
  public readonly name: string;
  /** The organization the CA serves. */
  public readonly org: OrgScope;
  /** The Secret with the bootstrap admin's `username` and `password`. */
  public readonly adminSecretName: string;
  /** The Secret with the endpoint's TLS pair. */
  public readonly tlsSecretName: string;
  /** `https://<service FQDN>:7054`, the URL clients enroll at. */
  public readonly url: string;
  /** Every name the CA's endpoint answers to; its TLS certificate holds them all. */
  public readonly hosts: string[];
  /** `https://ca.<org>.<domain>:<port>`, where clients outside the cluster enroll, when the chart has an exposure. */
  public readonly externalUrl?: string;

  public constructor(scope: Construct, id: string, props: FabricCaProps) {
    super(scope, id);
    const owner = `FabricCa ${id}`;
    checkProps(owner, props, ['org']);
    if (new.target === FabricCa) {
      rejectUnknownProps(owner, props, FABRIC_CA_PROPS);
    }
    const chart = FabricChart.find(this);
    this.org = checkOrg(owner, props.org);
    this.name = `${this.org.name}-ca`;
    this.adminSecretName = validateDnsLabel(owner, 'adminSecretName', props.adminSecretName ?? `${this.org.name}-ca-admin`, 253);
    this.tlsSecretName = validateDnsLabel(owner, 'tlsSecretName', props.tlsSecretName ?? `${this.org.name}-ca-tls`, 253);
    this.url = `https://${chart.fqdn(this.name)}:${Ports.CA}`;
    const lifetime = checkLifetime(owner, props.certificateLifetime ?? Duration.days(365));
    chart._reserve('Service name', this.name, this, 'Each organization runs one Fabric CA.');
    const labels = componentLabels(Component.CA, this.org.name);
    const selector = selectorLabels('fabric-ca', this.name);
    const ports = { https: Ports.CA };
    addService(this, 'service', { name: this.name, labels, selector, ports });
    const externalHost = chart.exposure?._expose(this, 'route', { name: this.name, org: this.org.name, node: 'ca', service: this.name, servicePort: Ports.CA });
    this.externalUrl = externalHost && `https://${externalHost}:${chart.exposure?.port}`;
    this.hosts = [...chart.hosts(this.name), 'localhost', ...(externalHost ? [externalHost] : [])];
    const scripts = ScriptLibrary.of(chart);
    const secretEnv = (key: string): k8s.EnvVarSource => ({ secretKeyRef: { name: this.adminSecretName, key } });
    this.node.defaultChild = singletonStatefulSet(this, {
      name: this.name,
      labels,
      selector,
      annotations: { 'hyperkube.io/scripts-digest': scripts.digest([CA_SCRIPT]) },
      pod: {
        containers: [{
          name: 'ca',
          image: chart.caImage,
          command: ['sh', `${SCRIPTS_MOUNT_PATH}/${CA_SCRIPT}`],
          env: [
            ...envList({
              FABRIC_CA_HOME: CA_HOME,
              CA_NAME: FabricCa.SIGNING_CA_NAME,
              CA_CN: `${this.org.name}-ca`,
              TLS_CA_NAME: FabricCa.TLS_CA_NAME,
              TLS_CA_CN: `${this.org.name}-tlsca`,
              CA_PORT: String(Ports.CA),
              CA_TLS_DIR,
              CERTIFICATE_LIFETIME: `${lifetime}s`,
            }),
            { name: 'BOOTSTRAP_USER', valueFrom: secretEnv('username') },
            { name: 'BOOTSTRAP_PASSWORD', valueFrom: secretEnv('password') },
          ],
          ports: containerPorts(ports),
          volumeMounts: [
            { name: LEDGER_VOLUME, mountPath: CA_HOME },
            { name: 'scripts', mountPath: SCRIPTS_MOUNT_PATH, readOnly: true },
            { name: 'tls', mountPath: CA_TLS_DIR, readOnly: true },
          ],
          resources: resourceRequirements(owner, props.resources, DefaultResources.CA),
          readinessProbe: {
            httpGet: { path: '/cainfo', port: k8s.IntOrString.fromNumber(Ports.CA), scheme: 'HTTPS' },
            periodSeconds: READINESS_PERIOD_SECONDS,
            timeoutSeconds: 5,
          },
          securityContext: containerSecurity(),
        }],
        volumes: [scripts.volume('scripts'), { name: 'tls', secret: { secretName: this.tlsSecretName } }],
      },
    }, { size: ledgerSize(owner, props.storage), storageClassName: chart.storageClassName });
  }
}

/** `value`, given as the org of `owner`, as an organization scope. */
function checkOrg(owner: string, value: unknown): OrgScope {
  if (!hasMembers(value, 'mspId', 'name') || typeof (value as OrgScope).name !== 'string') {
    throw new Error(`${owner}: org is ${describeValue(value)}, not an organization. Pass a PeerOrg or an Orderer (or { mspId, name }).`);
  }
  return value as OrgScope;
}

/** `value`, given as the certificate lifetime of `owner`, in whole seconds of at least a minute. */
function checkLifetime(owner: string, value: unknown): number {
  const seconds = value instanceof Duration ? value.toSeconds() : NaN;
  if (!Number.isInteger(seconds) || seconds < 60) {
    throw new Error(`${owner}: certificateLifetime is ${describeValue(value)}; give a Duration of whole seconds, at least Duration.minutes(1) (for example Duration.days(365)).`);
  }
  return seconds;
}
