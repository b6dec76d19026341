import { Construct, IConstruct } from 'constructs';
import { FabricChart } from '../core/fabric-chart';
import { Component, componentLabels } from '../core/labels';
import { validateDnsLabel, validateMspId } from '../core/naming';
import { checkProps } from '../core/props';
import { namedConfigMap } from '../core/workload';
import { CertificateAuthorities, NodeRole } from '../identity/identity-provider';
import { MspKeys, nodeOuConfig, provideIdentity } from './msp';

/** An organization of the network, as channels and chaincodes see it. */
export interface IOrganization extends IConstruct {
  /** MSP ID, for example `Org1MSP`. */
  readonly mspId: string;
  /** DNS-label name, the prefix of every object and host of the organization, for example `org1`. */
  readonly name: string;
  /**
   * The public CA certificates of the organization, when known at synth time; `undefined` when
   * they exist only in the cluster (a Fabric CA there issues them).
   */
  readonly certificateAuthorities?: CertificateAuthorities;
  /** Name of the ConfigMap holding the organization's public MSP (keys in `MspKeys`). */
  readonly mspConfigMapName: string;
  /** Name of the Secret holding the organization's admin identity and TLS client pair (keys in `IdentityKeys`). */
  readonly adminSecretName: string;
}

/** Props every organization shares. */
export interface OrganizationProps {
  /**
   * MSP ID of the organization, for example `Org1MSP`: letters, digits, '.' and '-' (Fabric names
   * the organization's channel config group after it).
   */
  readonly mspId: string;
  /**
   * DNS-label name (at most 40 characters, so that `<name>-peer<n>` stays within the 52 a
   * StatefulSet name may have), the prefix of every object and host of the organization.
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
  public readonly certificateAuthorities?: CertificateAuthorities;
  public readonly nodeOuConfig = nodeOuConfig();
  public readonly mspConfigMapName: string;
  public readonly adminSecretName: string;
  protected readonly chart: FabricChart;

  protected constructor(scope: Construct, id: string, props: OrganizationProps, kind: string) {
    super(scope, id);
    const owner = `${kind} ${id}`;
    checkProps(owner, props, ['mspId']);
    this.name = validateDnsLabel(owner, props.name === undefined ? 'name (the construct id unless given)' : 'name', props.name ?? id, 40);
    this.mspId = validateMspId(owner, props.mspId);
    this.chart = FabricChart.find(this);
    this.chart._reserve('MSP ID', this.mspId, this, 'Every organization needs its own MSP ID.');
    this.chart._reserve('organization name', this.name, this, 'Give each organization a distinct name.');
    this.mspConfigMapName = `${this.name}-msp`;
    this.adminSecretName = `${this.name}-admin`;
    this.certificateAuthorities = this.chart.identities.organization(this);
    if (this.certificateAuthorities) {
      namedConfigMap(this, 'msp', {
        metadata: { name: this.mspConfigMapName, labels: componentLabels(Component.MSP, this.name) },
        data: {
          [MspKeys.SIGNING_CA]: this.certificateAuthorities.signingCaPem,
          [MspKeys.TLS_CA]: this.certificateAuthorities.tlsCaPem,
          [MspKeys.CONFIG]: this.nodeOuConfig,
        },
      });
    }
    provideIdentity(this, this, { secretName: this.adminSecretName, name: this.adminSecretName, role: NodeRole.ADMIN, tlsHosts: [this.adminSecretName] });
  }
}
