import { Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import { FabricChart } from '../../core/fabric-chart';
import { Component, componentLabels } from '../../core/labels';
import { FabricJob, FabricJobProps, fabricJobPod } from '../../internal/fabric-job';
import { IdentityRequest, OrganizationIdentity, PasswordRequest } from '../identity-provider';
import { FabricCa } from './fabric-ca';

/** Props for `OrgEnrollment`. */
export interface OrgEnrollmentProps {
  readonly org: OrganizationIdentity;
  readonly certificateLifetime?: Duration;
  readonly renewBefore?: Duration;
  readonly renewalSchedule?: string;
  readonly caStorage?: string;
}

const ENROLL_SCRIPT = 'enroll-identities.sh';

/** How long issued certificates are valid unless the app says. */
export const DEFAULT_LIFETIME = Duration.days(365);

/**
 * One organization's identities from its own Fabric CA: the CA, and the enroll Job and renew
 * CronJob that write every identity the chart asks of the organization into its Secret, with a
 * service account whose Role reaches only those Secrets, the org's public ConfigMaps and the
 * workloads it restarts after a renewal.
 * @internal
 */
export class OrgEnrollment extends Construct {
  private readonly identities: IdentityRequest[] = [];
  private readonly passwords: PasswordRequest[] = [];
  private readonly org: OrganizationIdentity;
  private readonly ca: FabricCa;
  private readonly accountName: string;

  public constructor(scope: Construct, id: string, props: OrgEnrollmentProps) {
    super(scope, id);
    this.org = props.org;
    const chart = FabricChart.find(this);
    const lifetime = (props.certificateLifetime ?? DEFAULT_LIFETIME).toSeconds();
    const renewBefore = props.renewBefore?.toSeconds() ?? Math.floor(lifetime / 3);
    this.ca = new FabricCa(this, 'ca', { org: this.org, storage: props.caStorage, certificateLifetime: Duration.seconds(lifetime) });
    this.accountName = `${this.org.name}-enroll`;
    this.addAccess(chart);
    const jobProps = this.jobProps(lifetime, renewBefore);
    new FabricJob(this, 'enroll', jobProps);
    const labels = { ...componentLabels(Component.IDENTITY, this.org.name), 'hyperkube.io/step': 'renew-identities' };
    new k8s.KubeCronJob(this, 'renew', {
      metadata: { name: `${this.org.name}-renew-identities`, labels },
      spec: {
        schedule: props.renewalSchedule ?? '17 3 * * *',
        concurrencyPolicy: 'Forbid',
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            template: fabricJobPod(chart, {
              ...jobProps,
              env: { ...jobProps.env, RUN_MODE: 'renew' },
            }, labels),
          },
        },
      },
    });
  }

  /** Adds an identity the enroll Job writes into `request.secretName`. */
  public addIdentity(request: IdentityRequest): void {
    this.identities.push(request);
  }

  /** Adds a password Secret the enroll Job makes once. */
  public addPassword(request: PasswordRequest): void {
    this.passwords.push(request);
  }

  private jobProps(lifetimeSeconds: number, renewBeforeSeconds: number): FabricJobProps {
    const chart = FabricChart.find(this);
    const profile = () => this.org.connectionProfileTemplate?.();
    return {
      baseName: `${this.org.name}-enroll`,
      script: ENROLL_SCRIPT,
      component: Component.IDENTITY,
      organization: this.org.name,
      serviceAccountName: this.accountName,
      binaries: { image: chart.caImage, commands: ['fabric-ca-client', 'fabric-ca-server'] },
      env: {
        ORG: this.org.name,
        CA_URL: this.ca.url,
        CA_HOSTS: this.ca.hosts.join(','),
        CA_NAME: FabricCa.SIGNING_CA_NAME,
        TLS_CA_NAME: FabricCa.TLS_CA_NAME,
        CA_ADMIN_SECRET: this.ca.adminSecretName,
        CA_TLS_SECRET: this.ca.tlsSecretName,
        CA_LABELS: JSON.stringify(componentLabels(Component.CA, this.org.name)),
        MSP_CONFIGMAP: this.org.mspConfigMapName,
        NODE_OU_CONFIG: this.org.nodeOuConfig,
        CONNECTION_LABELS: JSON.stringify(componentLabels(Component.CONNECTION_PROFILE, this.org.name)),
        // JSON, never empty (an empty env value does not survive a round trip through the API).
        CONNECTION_PROFILE: Lazy.any({ produce: () => JSON.stringify(profile() ?? null) }),
        IDENTITIES: Lazy.any({ produce: () => this.identities.map((request) => JSON.stringify(identityLine(request))).join('\n') }),
        PASSWORDS: Lazy.any({ produce: () => JSON.stringify(this.passwords.map(passwordLine)) }),
        CERTIFICATE_LIFETIME_SECONDS: String(lifetimeSeconds),
        RENEWAL_WINDOW_SECONDS: String(renewBeforeSeconds),
        RUN_MODE: 'enroll',
      },
      volumes: [],
      inputs: [],
    };
  }

  /** The enroll Job's service account, and a Role limited to what it writes and restarts. */
  private addAccess(chart: FabricChart): void {
    const metadata = { name: this.accountName, labels: componentLabels(Component.IDENTITY, this.org.name) };
    new k8s.KubeServiceAccount(this, 'account', { metadata, automountServiceAccountToken: false });
    const secrets = () => [this.ca.adminSecretName, this.ca.tlsSecretName, ...this.identities.map((r) => r.secretName), ...this.passwords.map((r) => r.secretName)];
    const configMaps = () => [this.org.mspConfigMapName, ...(this.org.connectionProfileTemplate ? [this.org.connectionProfileTemplate().configMapName] : [])];
    const restarts = (kind: string) => this.identities.flatMap((r) => (r.restarts?.startsWith(`${kind}/`) ? [r.restarts.slice(kind.length + 1)] : []));
    const named = (names: string[]) => [...new Set(names)].sort();
    new k8s.KubeRole(this, 'role', {
      metadata,
      rules: Lazy.any({
        produce: (): k8s.PolicyRule[] => [
          // Creating cannot be limited by name in RBAC; reading and replacing can.
          { apiGroups: [''], resources: ['secrets', 'configmaps'], verbs: ['create'] },
          { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'update'], resourceNames: named(secrets()) },
          { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'update'], resourceNames: named(configMaps()) },
          // Restarting is a patch; waiting for the restart to finish is a get.
          { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['get', 'patch'], resourceNames: named(restarts('statefulset')) },
          { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'patch'], resourceNames: named(restarts('deployment')) },
        // A rule with no names would allow every object of its kind; and the API drops an empty list.
        ].filter((rule) => rule.resourceNames === undefined || rule.resourceNames.length > 0),
      }) as unknown as k8s.PolicyRule[],
    });
    new k8s.KubeRoleBinding(this, 'binding', {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.accountName },
      subjects: [{ kind: 'ServiceAccount', name: this.accountName, namespace: chart.namespace }],
    });
  }
}

function identityLine(request: IdentityRequest): Record<string, unknown> {
  return {
    secretName: request.secretName,
    name: request.name,
    ...(request.role ? { role: request.role } : {}),
    ...(request.tlsHosts ? { tlsHosts: request.tlsHosts } : {}),
    ...(request.restarts ? { restarts: request.restarts } : {}),
    labels: request.labels,
  };
}

function passwordLine(request: PasswordRequest): Record<string, unknown> {
  return { secretName: request.secretName, username: request.username, labels: request.labels };
}
