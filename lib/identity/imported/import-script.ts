/** A Secret the import script makes: from files of the crypto folder, or a password made in the cluster. */
export interface SecretImport {
  readonly secretName: string;
  readonly labels: Record<string, string>;
  /** Secret key -> file path, relative to the script. */
  readonly files?: Record<string, string>;
  /** Makes a password Secret with this user name instead, once. */
  readonly username?: string;
  /** The workload (`kind/name`) restarted when the Secret's content changes. */
  readonly restarts?: string;
}

/**
 * The script that puts an imported crypto folder's keys into the cluster. It holds file paths
 * only, so it can be committed with the manifests; it reads the keys when a user runs it. Re-runs
 * are safe: an unchanged Secret is left alone, a changed one is replaced and its workload restarted.
 */
export function importScript(chart: string, namespace: string, secrets: SecretImport[]): string {
  const lines = secrets.map((secret) => (secret.username !== undefined ? passwordLine(secret) : identityLine(secret)));
  return `#!/usr/bin/env bash
# Written by Hyperkube's ImportedIdentities when chart ${chart} was synthesized. It creates the Secrets
# of the chart's identities in namespace ${namespace} from the imported crypto folder, whose paths
# below are relative to this file. It holds no key. Run it before or after applying the manifests:
# pods wait for their Secrets. KUBECTL overrides the kubectl command.
set -euo pipefail
cd "$(dirname "$0")"
NAMESPACE=${namespace}
kube() { "\${KUBECTL:-kubectl}" -n "\${NAMESPACE}" "$@"; }

# identity SECRET LABELS RESTARTS KEY=FILE...: creates or replaces SECRET from the files; when its
# content changed, restarts RESTARTS (if given and present) so that it loads the new files.
identity() {
  local secret=$1 labels=$2 restarts=$3 before after
  shift 3
  before=$(kube get secret "\${secret}" -o jsonpath='{.data}' 2>/dev/null || true)
  kube create secret generic "\${secret}" "\${@/#/--from-file=}" --dry-run=client -o yaml \\
    | kube label --local -f - \${labels} -o yaml \\
    | kube apply --server-side --force-conflicts --field-manager=hyperkube-import -f - >/dev/null
  after=$(kube get secret "\${secret}" -o jsonpath='{.data}')
  if [[ "\${before}" == "\${after}" ]]; then
    echo "secret/\${secret} unchanged"
  elif [[ -n "\${before}" && -n "\${restarts}" ]] && kube get "\${restarts}" >/dev/null 2>&1; then
    kube rollout restart "\${restarts}" >/dev/null
    echo "secret/\${secret} updated; \${restarts} restarted"
  else
    echo "secret/\${secret} \${before:+updated}\${before:-created}"
  fi
}

# password SECRET LABELS USERNAME: makes SECRET with a random password, once.
password() {
  if kube get secret "$1" >/dev/null 2>&1; then
    echo "secret/$1 kept"
    return
  fi
  kube create secret generic "$1" --from-literal=username="$3" --from-literal=password="$(head -c 24 /dev/urandom | base64 | tr -d '/+=')" --dry-run=client -o yaml \\
    | kube label --local -f - $2 -o yaml | kube create -f - >/dev/null
  echo "secret/$1 created"
}

${lines.join('\n')}
`;
}

function identityLine(secret: SecretImport): string {
  const files = Object.entries(secret.files ?? {}).map(([key, path]) => quote(`${key}=${path}`));
  return ['identity', secret.secretName, quote(labelArguments(secret.labels)), quote(secret.restarts ?? ''), ...files].join(' ');
}

function passwordLine(secret: SecretImport): string {
  return ['password', secret.secretName, quote(labelArguments(secret.labels)), quote(secret.username ?? '')].join(' ');
}

function labelArguments(labels: Record<string, string>): string {
  return Object.entries(labels).map(([key, value]) => `${key}=${value}`).join(' ');
}

/** Single-quoted for bash; paths may hold spaces or `@` (cryptogen's `users/Admin@org1.example.com`). */
function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
