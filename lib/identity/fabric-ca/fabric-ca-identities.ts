import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { FabricChart } from '../../core/fabric-chart';
import { describeValue, optionalRecord } from '../../core/props';
import {
  CertificateAuthorities, IdentityRequest, IIdentityProvider, OrganizationIdentity, PasswordRequest, ProvidedIdentity,
} from '../identity-provider';
import { DEFAULT_LIFETIME, OrgEnrollment } from './org-enrollment';

/** Props for `FabricCaIdentities`. */
export interface FabricCaIdentitiesProps {
  /**
   * How long the certificates the CAs issue are valid. Each is renewed, with the same key, on the
   * first run of the renewal CronJob within `renewBefore` of its end.
   * @default Duration.days(365)
   */
  readonly certificateLifetime?: Duration;
  /**
   * How long before it expires a certificate is renewed: on the first run of the renewal CronJob
   * once less than this remains. Leave room for runs that fail and for the restarts.
   * @default a third of `certificateLifetime`
   */
  readonly renewBefore?: Duration;
  /**
   * When the renewal CronJob of each organization runs (cron syntax, the cluster's time zone).
   * @default '17 3 * * *' (daily, 03:17)
   */
  readonly renewalSchedule?: string;
  /**
   * Size of each CA's volume (its keys, certificates and registrations).
   * @default '1Gi'
   */
  readonly caStorage?: string;
}

/** Every prop of `FabricCaIdentities`, so that a misspelt one is refused. */
const FABRIC_CA_IDENTITIES_PROPS: Record<keyof FabricCaIdentitiesProps, true> = {
  certificateLifetime: true, renewBefore: true, renewalSchedule: true, caStorage: true,
};

/**
 * Production identities: every organization runs a Fabric CA in the cluster (`FabricCa`), and an
 * enroll Job per organization registers and enrolls each identity the chart needs, writing it
 * into the Secret of the same name the other modes write. No private key, password or
 * certificate is in the manifests; pods wait until their Secrets are there. A CronJob per
 * organization renews certificates with the same keys before they expire.
 */
export class FabricCaIdentities implements IIdentityProvider {
  private readonly enrollments = new Map<string, OrgEnrollment>();
  private readonly props: FabricCaIdentitiesProps;

  public constructor(props: FabricCaIdentitiesProps = {}) {
    this.props = (optionalRecord('FabricCaIdentities', 'props', props) ?? {}) as FabricCaIdentitiesProps;
    for (const key of Object.keys(this.props)) {
      if (!(key in FABRIC_CA_IDENTITIES_PROPS)) {
        throw new Error(`FabricCaIdentities: unknown prop ${key}; the props are ${Object.keys(FABRIC_CA_IDENTITIES_PROPS).join(', ')}.`);
      }
    }
    const lifetime = checkDuration('certificateLifetime', this.props.certificateLifetime);
    const renewBefore = checkDuration('renewBefore', this.props.renewBefore);
    if (lifetime !== undefined && lifetime < 60) {
      throw new Error(`FabricCaIdentities: certificateLifetime is ${lifetime} s; give at least a minute (Duration.minutes(1)), and in production months.`);
    }
    if (renewBefore !== undefined && !(renewBefore > 0 && renewBefore < (lifetime ?? DEFAULT_LIFETIME.toSeconds()))) {
      throw new Error(`FabricCaIdentities: renewBefore (${renewBefore} s) must be positive and shorter than certificateLifetime (${lifetime ?? DEFAULT_LIFETIME.toSeconds()} s), or a certificate would be renewed at once, again and again.`);
    }
  }

  /** Certificate authorities exist only in the cluster: the org's enroll Job writes its MSP there. */
  public organization(org: OrganizationIdentity): CertificateAuthorities | undefined {
    if (!(org instanceof Construct)) {
      throw new Error(`FabricCaIdentities: the organization ${describeValue((org as OrganizationIdentity).name)} must be a construct (a PeerOrg or an Orderer).`);
    }
    const key = this.key(org, org.name);
    if (this.enrollments.has(key)) {
      throw new Error(`FabricCaIdentities: organization ${org.name} is registered twice in ${org.node.path}; give each organization a distinct name.`);
    }
    this.enrollments.set(key, new OrgEnrollment(org, 'enrollment', { org, ...this.props }));
    return undefined;
  }

  public identity(scope: Construct, request: IdentityRequest): ProvidedIdentity {
    this.enrollmentOf(scope, request.org.name).addIdentity(request);
    return {};
  }

  public password(scope: Construct, request: PasswordRequest & { readonly org?: string }): void {
    this.enrollmentOf(scope, organizationOf(scope)).addPassword(request);
  }

  private enrollmentOf(scope: Construct, org: string): OrgEnrollment {
    const enrollment = this.enrollments.get(this.key(scope, org));
    if (!enrollment) {
      throw new Error(`${scope.node.path}: FabricCaIdentities knows no organization ${org} in this chart; create the PeerOrg or Orderer first.`);
    }
    return enrollment;
  }

  /** Organizations are per chart: two charts may each have an `org1`. */
  private key(scope: Construct, org: string): string {
    return `${FabricChart.find(scope).node.path}/${org}`;
  }
}

/** The seconds of a Duration prop, refusing anything else. */
function checkDuration(prop: string, value: unknown): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!(value instanceof Duration)) {
    throw new Error(`FabricCaIdentities: ${prop} must be a cdk8s Duration, got ${describeValue(value)}. Write it like Duration.days(90).`);
  }
  return value.toSeconds();
}

/** The organization whose construct `scope` is, or is inside. */
function organizationOf(scope: Construct): string {
  for (const each of scope.node.scopes.slice().reverse()) {
    const candidate = each as Partial<OrganizationIdentity>;
    if (typeof candidate.mspConfigMapName === 'string' && typeof candidate.name === 'string') {
      return candidate.name;
    }
  }
  throw new Error(`${scope.node.path}: FabricCaIdentities makes passwords only for constructs inside an organization.`);
}
