import { Construct } from 'constructs';
import { TlsRoute } from '../../imports/gateway.networking.k8s.io';
import { KubeIngress } from '../../imports/k8s';
import { Component, componentLabels } from '../core/labels';
import { externalHostName } from '../core/naming';
import { checkProps, describeValue, optionalInteger, optionalString, rejectUnknownProps, requireString } from '../core/props';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** The annotation that makes ingress-nginx hand the TLS stream to the backend, routed by SNI. */
const NGINX_SSL_PASSTHROUGH = 'nginx.ingress.kubernetes.io/ssl-passthrough';

/** What every kind of exposure needs. */
export interface ExposureOptions {
  /**
   * The DNS domain of the external host names: `<node>.<org>.<domain>`, for example
   * `peer0.org1.example.com`, `node0.orderer.example.com` (ordering),
   * `node0-admin.orderer.example.com` (osnadmin) and `ca.org1.example.com`. Point these names (or a
   * wildcard `*.example.com` record per organization) at the ingress.
   */
  readonly domain: string;
  /**
   * The port outside clients dial on the ingress; the external connection profiles carry it.
   * @default 443
   */
  readonly port?: number;
}

/** The Gateway the TLSRoutes attach to. */
export interface GatewayReference {
  /** Name of the Gateway. */
  readonly name: string;
  /**
   * Namespace of the Gateway. A Gateway in another namespace must allow routes from the network's
   * (`allowedRoutes.namespaces` of its listener).
   * @default the network's namespace
   */
  readonly namespace?: string;
  /**
   * The listener the routes attach to: one of protocol TLS with `tls.mode: Passthrough`.
   * @default every listener of the Gateway that accepts TLSRoutes
   */
  readonly sectionName?: string;
}

/** Options of `Exposure.gatewayApi`. */
export interface GatewayApiExposureOptions extends ExposureOptions {
  /** The Gateway, with a TLS passthrough listener, that carries the routes. */
  readonly gateway: GatewayReference;
}

/** Options of `Exposure.ingressNginx`. */
export interface IngressNginxExposureOptions extends ExposureOptions {
  /**
   * The IngressClass of an ingress-nginx controller started with `--enable-ssl-passthrough`.
   * @default 'nginx'
   */
  readonly ingressClassName?: string;
}

/**
 * One endpoint of a node that outside clients reach through the ingress.
 * @internal
 */
export interface ExposedEndpoint {
  /** Name of the route object, unique in the namespace. */
  readonly name: string;
  /** The organization's name, the second label of the host name. */
  readonly org: string;
  /** The node's own label of the host name: `peer0`, `node0`, `node0-admin`, `ca`. */
  readonly node: string;
  /** The Service and its port that the route leads to. */
  readonly service: string;
  readonly servicePort: number;
}

/**
 * How peers, orderers (their listen and osnadmin endpoints) and Fabric CAs are reached from
 * outside the cluster: TLS passthrough through the cluster's ingress, routed by SNI to the node's
 * Service, so TLS still ends at the node. Give it to the chart as `exposure`; each node then gets a
 * route, its external host name in its TLS certificate, and each peer organization a second
 * connection profile, `<org>-connection-profile-external`, for clients outside.
 */
export abstract class Exposure {
  /** Routes through a Gateway API TLSRoute per endpoint (gateway.networking.k8s.io/v1). */
  public static gatewayApi(options: GatewayApiExposureOptions): Exposure {
    return new GatewayApiExposure(options);
  }

  /** Routes through an ingress-nginx Ingress per endpoint, with SSL passthrough. */
  public static ingressNginx(options: IngressNginxExposureOptions): Exposure {
    return new IngressNginxExposure(options);
  }

  /** Whether `x` is an Exposure (for charts written in plain JavaScript). */
  public static isExposure(x: unknown): x is Exposure {
    return x instanceof Exposure;
  }

  /** The domain of the external host names. */
  public readonly domain: string;
  /** The port outside clients dial. */
  public readonly port: number;

  protected constructor(owner: string, options: ExposureOptions) {
    this.domain = validateDomain(owner, options.domain);
    this.port = optionalInteger(owner, 'port', options.port, 1, 65535) ?? 443;
  }

  /** The host name outside clients dial node `node` (`peer0`, `node0-admin`, ...) of `org` by. */
  public hostName(org: string, node: string): string {
    return externalHostName(node, org, this.domain);
  }

  /**
   * Routes `endpoint` from the ingress to its Service (a child `id` of `scope`) and returns its
   * external host name.
   * @internal
   */
  public _expose(scope: Construct, id: string, endpoint: ExposedEndpoint): string {
    const host = this.hostName(endpoint.org, endpoint.node);
    if (host.length > 253) {
      throw new Error(`${scope.node.path}: external host name "${host}" is ${host.length} characters; DNS allows 253. Choose a shorter exposure domain than "${this.domain}" or shorter organization names.`);
    }
    this._addRoute(scope, id, host, endpoint, componentLabels(Component.EXPOSURE, endpoint.org));
    return host;
  }

  /**
   * Writes the object that carries `host` to `endpoint`'s Service.
   * @internal
   */
  protected abstract _addRoute(scope: Construct, id: string, host: string, endpoint: ExposedEndpoint, labels: Record<string, string>): void;
}

/** Every option of `Exposure.gatewayApi`, so that a misspelt one is refused. */
const GATEWAY_API_OPTIONS: Record<keyof GatewayApiExposureOptions, true> = { domain: true, port: true, gateway: true };
const GATEWAY_REFERENCE: Record<keyof GatewayReference, true> = { name: true, namespace: true, sectionName: true };
const INGRESS_NGINX_OPTIONS: Record<keyof IngressNginxExposureOptions, true> = { domain: true, port: true, ingressClassName: true };

/** A TLSRoute per endpoint, attached to a Gateway's TLS passthrough listener. */
class GatewayApiExposure extends Exposure {
  private readonly gateway: GatewayReference;

  public constructor(options: GatewayApiExposureOptions) {
    const owner = 'Exposure.gatewayApi';
    checkProps(owner, options, ['domain', 'gateway']);
    rejectUnknownProps(owner, options, GATEWAY_API_OPTIONS);
    super(owner, options);
    this.gateway = validateGatewayReference(owner, options.gateway);
  }

  /** @internal */
  protected _addRoute(scope: Construct, id: string, host: string, endpoint: ExposedEndpoint, labels: Record<string, string>): void {
    new TlsRoute(scope, id, {
      metadata: { name: endpoint.name, labels },
      spec: {
        // With the API server's defaults written out: kubectl replaces these lists whole, so a
        // list without them would make every re-apply report a change that changes nothing.
        parentRefs: [{
          group: 'gateway.networking.k8s.io', kind: 'Gateway',
          name: this.gateway.name, namespace: this.gateway.namespace, sectionName: this.gateway.sectionName,
        }],
        hostnames: [host],
        rules: [{ backendRefs: [{ group: '', kind: 'Service', name: endpoint.service, port: endpoint.servicePort, weight: 1 }] }],
      },
    });
  }
}

/** An Ingress per endpoint that ingress-nginx passes through, by SNI, to the Service. */
class IngressNginxExposure extends Exposure {
  private readonly ingressClassName: string;

  public constructor(options: IngressNginxExposureOptions) {
    const owner = 'Exposure.ingressNginx';
    checkProps(owner, options, ['domain']);
    rejectUnknownProps(owner, options, INGRESS_NGINX_OPTIONS);
    super(owner, options);
    this.ingressClassName = validateObjectName(owner, 'ingressClassName', optionalString(owner, 'ingressClassName', options.ingressClassName, 'nginx') ?? 'nginx');
  }

  /** @internal */
  protected _addRoute(scope: Construct, id: string, host: string, endpoint: ExposedEndpoint, labels: Record<string, string>): void {
    new KubeIngress(scope, id, {
      metadata: { name: endpoint.name, labels, annotations: { [NGINX_SSL_PASSTHROUGH]: 'true' } },
      spec: {
        ingressClassName: this.ingressClassName,
        rules: [{
          host,
          // ingress-nginx forwards a passed-through stream to the backend of the host's "/" path.
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: endpoint.service, port: { number: endpoint.servicePort } } } }] },
        }],
      },
    });
  }
}

function validateDomain(owner: string, value: unknown): string {
  const domain = requireString(owner, 'domain', value, 'example.com');
  if (domain.length > 253 || !DNS_SUBDOMAIN.test(domain) || !domain.includes('.') || domain.split('.').some((label) => label.length > 63)) {
    throw new Error(`${owner}: domain ${describeValue(domain)} is not a DNS domain for external host names. Give a lowercase domain of at least two labels, each of at most 63 characters, that you can point at the ingress (for example "fabric.example.com"); no wildcard, no trailing dot.`);
  }
  return domain;
}

function validateGatewayReference(owner: string, value: unknown): GatewayReference {
  const reference = checkProps(`${owner} gateway`, value as GatewayReference, ['name']);
  rejectUnknownProps(`${owner} gateway`, reference, GATEWAY_REFERENCE);
  const namespace = optionalString(owner, 'gateway.namespace', reference.namespace, 'gateway-system');
  if (namespace !== undefined && (namespace.length > 63 || !DNS_LABEL.test(namespace))) {
    throw new Error(`${owner}: gateway.namespace ${describeValue(namespace)} is not a namespace name. Use at most 63 lowercase letters, digits and '-' (for example "gateway-system"), or leave it out for the network's namespace.`);
  }
  const sectionName = optionalString(owner, 'gateway.sectionName', reference.sectionName, 'fabric-tls');
  return {
    name: validateObjectName(owner, 'gateway.name', requireString(owner, 'gateway.name', reference.name, 'fabric-gateway')),
    namespace,
    sectionName: sectionName === undefined ? undefined : validateObjectName(owner, 'gateway.sectionName', sectionName),
  };
}

/** Throws unless `value` is a Kubernetes object name (an RFC 1123 subdomain). */
function validateObjectName(owner: string, prop: string, value: string): string {
  if (value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
    throw new Error(`${owner}: ${prop} ${describeValue(value)} is not a Kubernetes object name. Use at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit (for example "fabric-gateway").`);
  }
  return value;
}
