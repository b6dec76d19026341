import { Construct, IConstruct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { FabricChart } from '../core/fabric-chart';
import { Component, componentLabels } from '../core/labels';
import { validateDnsLabel, validateMspId } from '../core/naming';
import { CertificateAuthorities, NodeRole } from '../identity/identity-provider';
import { addIdentitySecret, MspKeys, nodeOuConfig } from './msp';

/** An organization of the network, as channels and chaincodes see it. */
export interface IOrganization extends IConstruct {
  /** MSP ID, for example `Org1MSP`. */
  readonly mspId: string;
  /** DNS-label name, the prefix of every object and host of the organization, for example `org1`. */
  readonly name: string;
  /** The public CA certificates of the organization. */
  readonly certificateAuthorities: CertificateAuthorities;
  /** Name of the ConfigMap holding the organization's public MSP (keys in `MspKeys`). */
  readonly mspConfigMapName: string;
  /** Name of the Secret holding the organization's admin identity and TLS client pair (keys in `IdentityKeys`). */
  readonly adminSecretName: string;
}

/** Props every organization shares. */
export interface OrganizationProps {
  /** MSP ID of the organization, for example `Org1MSP`. */
  readonly mspId: string;
  /**
   * DNS-label name, the prefix of every object and host of the organization.
   * @default the construct id
   */
  readonly name?: string;
}

/**
 * What peer and ordering organizations share: an MSP (public, in a ConfigMap) and an admin
 * identity (in a Secret, used by the Jobs).
 */
export abstract class Organization extends Construct implements IOrganization {
  public readonly mspId: string;
  public readonly name: string;
  public readonly certificateAuthorities: CertificateAuthorities;
  public readonly mspConfigMapName: string;
  public readonly adminSecretName: string;
  protected readonly chart: FabricChart;

  protected constructor(scope: Construct, id: string, props: OrganizationProps, kind: string) {
    super(scope, id);
    const owner = `${kind} ${id}`;
    this.name = props.name ?? id;
    validateDnsLabel(owner, 'name', this.name, 40);
    validateMspId(owner, props.mspId);
    this.mspId = props.mspId;
    this.chart = FabricChart.find(this);
    this.chart._reserve('MSP ID', this.mspId, this, 'Every organization needs its own MSP ID.');
    this.chart._reserve('organization name', this.name, this, 'Give each organization a distinct name.');
    this.certificateAuthorities = this.chart.identities.certificateAuthorities(this);
    this.mspConfigMapName = `${this.name}-msp`;
    this.adminSecretName = `${this.name}-admin`;
    new kplus.ConfigMap(this, 'msp', {
      metadata: { name: this.mspConfigMapName, labels: componentLabels(Component.MSP, this.name) },
      data: {
        [MspKeys.SIGNING_CA]: this.certificateAuthorities.signingCaPem,
        [MspKeys.TLS_CA]: this.certificateAuthorities.tlsCaPem,
        [MspKeys.CONFIG]: nodeOuConfig(),
      },
    });
    const admin = this.chart.identities.signingIdentity(this, this.adminSecretName, NodeRole.ADMIN);
    const adminTls = this.chart.identities.tlsIdentity(this, this.adminSecretName, [this.adminSecretName]);
    addIdentitySecret(this, 'admin-identity', this, this.adminSecretName, admin, adminTls);
  }
}
