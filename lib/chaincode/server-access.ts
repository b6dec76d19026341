import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { FabricChart } from '../core/fabric-chart';
import { Component, componentLabels } from '../core/labels';

/** Name of the service account, Role and RoleBinding the chaincode Jobs run with. */
export const CHAINCODE_JOBS_ACCOUNT = 'hyperkube-chaincode-jobs';

/**
 * The Kubernetes API access of the chaincode Jobs, once per chart: they read whether a chaincode
 * server is ready before approving the package that points at it, and delete a server once no
 * committed definition uses its package. The Role allows exactly that: get, list and delete
 * Deployments, list and delete Services, list Pods (to say why a server is not ready), in the
 * chart's namespace. Every other pod of the chart keeps no service-account token.
 * @internal
 */
export class ChaincodeServerAccess extends Construct {
  /** The chart's access, created with the first chaincode. */
  public static of(chart: FabricChart): ChaincodeServerAccess {
    const existing = chart.node.tryFindChild(ChaincodeServerAccess.ID);
    return existing instanceof ChaincodeServerAccess ? existing : new ChaincodeServerAccess(chart);
  }

  private static readonly ID = 'chaincode-server-access';

  /** Name of the service account. */
  public readonly serviceAccountName = CHAINCODE_JOBS_ACCOUNT;

  private constructor(chart: FabricChart) {
    super(chart, ChaincodeServerAccess.ID);
    const metadata = { name: CHAINCODE_JOBS_ACCOUNT, labels: componentLabels(Component.CHAINCODE) };
    const account = new kplus.ServiceAccount(this, 'account', { metadata, automountToken: false });
    const role = new kplus.Role(this, 'role', { metadata });
    role.allow(['get', 'list', 'delete'], kplus.ApiResource.DEPLOYMENTS);
    role.allow(['list', 'delete'], kplus.ApiResource.SERVICES);
    role.allow(['list'], kplus.ApiResource.PODS);
    // Written as the API server stores it (cdk8s-plus adds an empty apiGroup the server drops), so
    // that a re-apply changes nothing.
    new k8s.KubeRoleBinding(this, 'binding', {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.name },
      subjects: [{ kind: 'ServiceAccount', name: account.name, namespace: chart.namespace }],
    });
  }
}
