import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChaincodeDefinitionJson, PolicyRuleJson, SignaturePolicyJson } from '../../lib/chaincode/chaincode-definition';
import { scriptFolder, toolPath } from '../internal/script-runner';

/**
 * A fake `peer` that keeps a channel's lifecycle state in files, as Fabric 2.5 does in its
 * ledger, and answers in the 2.5 CLI's words and JSON shapes (see fixtures/fabric-2.5.9):
 * querycommitted (404 when nothing is committed), queryapproved (per org and sequence),
 * checkcommitreadiness, approveformyorg and commit with the lifecycle's sequence rules, and
 * queryinstalled / install per peer address.
 *
 * An approval or commit lands `desired.json`, the definition the chart's flags name. Faults are
 * lines in `faults/<operation>`, one used per call: `fail <reason>` (nothing lands) or
 * `lost <reason>` (it lands, then the CLI reports the reason, as when a peer restarts before the
 * commit event reaches the CLI).
 */
const FAKE_PEER = String.raw`
state=$(dirname "$0")
arg() { local flag=$1; shift; while (($#)); do if [[ "$1" == "$flag" ]]; then echo "$2"; return; fi; shift; done; }
fault() { # fault OP: prints the next fault line for OP, if any
  local file="$state/faults/$1"
  [[ -s "$file" ]] || return 0
  head -n 1 "$file"; sed -i 1d "$file"
}
refuse() { echo "Error: $*" >&2; exit 1; }
definition() { jq -S 'del(.sequence, .approvals, .source)' "$1"; }
committed_sequence() { if [[ -f "$state/committed.json" ]]; then jq -r .sequence "$state/committed.json"; else echo 0; fi; }
same_as_desired() { [[ -f "$1" ]] && [[ "$(definition "$1")" == "$(definition "$state/desired.json")" ]]; }
run_faults() { # run_faults OP: applies a fail fault before the operation lands; remembers a lost one
  LOST=""
  local line; line=$(fault "$1")
  case "$line" in
    "fail "*) refuse "$(cut -d' ' -f2- <<<"$line")";;
    "lost "*) LOST=$(cut -d' ' -f2- <<<"$line");;
  esac
}
finish() { if [[ -n "$LOST" ]]; then refuse "$LOST"; fi; exit 0; }
echo "$CORE_PEER_ADDRESS $1 $2 $3" >>"$state/peer-addresses.log"
name=$(arg --name "$@"); channel=$(arg --channelID "$@"); sequence=$(arg --sequence "$@")
case "$1 $2 $3" in
  "lifecycle chaincode queryinstalled")
    run_faults queryinstalled
    jq -n --rawfile ids <(cat "$state/installed/$CORE_PEER_ADDRESS" 2>/dev/null || true) \
      '{installed_chaincodes: [$ids | split("\n")[] | select(length > 0) | {package_id: ., label: (split(":")[0])}]} | if .installed_chaincodes == [] then {} else . end'
    ;;
  "lifecycle chaincode install")
    run_faults install
    id=$(cat "$state/package-id")
    if grep -qxF "$id" "$state/installed/$CORE_PEER_ADDRESS" 2>/dev/null; then
      refuse "chaincode install failed with status: 500 - failed to invoke backing implementation of 'InstallChaincode': chaincode already successfully installed (package ID '$id')"
    fi
    echo "$id" >>"$state/installed/$CORE_PEER_ADDRESS"
    finish
    ;;
  "lifecycle chaincode querycommitted")
    run_faults querycommitted
    [[ -f "$state/committed.json" ]] || refuse "query failed with status: 404 - namespace $name is not defined"
    cat "$state/committed.json"
    ;;
  "lifecycle chaincode queryapproved")
    run_faults queryapproved
    file="$state/approved/$CORE_PEER_LOCALMSPID/$sequence.json"
    [[ -f "$file" ]] || refuse "query failed with status: 500 - failed to invoke backing implementation of 'QueryApprovedChaincodeDefinition': could not fetch approved chaincode definition (name: '$name', sequence: '$sequence') on channel '$channel'"
    cat "$file"
    ;;
  "lifecycle chaincode checkcommitreadiness")
    run_faults checkcommitreadiness
    current=$(committed_sequence)
    ((sequence == current + 1)) || refuse "query failed with status: 500 - failed to invoke backing implementation of 'CheckCommitReadiness': requested sequence is $sequence, but new definition must be sequence $((current + 1))"
    approvals='{}'
    for msp in $(cat "$state/members"); do
      ok=false; if same_as_desired "$state/approved/$msp/$sequence.json"; then ok=true; fi
      approvals=$(jq -c --arg m "$msp" --argjson ok "$ok" '.[$m] = $ok' <<<"$approvals")
    done
    jq -n --argjson a "$approvals" '{approvals: $a}'
    ;;
  "lifecycle chaincode approveformyorg")
    run_faults approveformyorg
    current=$(committed_sequence)
    prefix="proposal failed with status: 500 - failed to invoke backing implementation of 'ApproveChaincodeDefinitionForMyOrg'"
    ((sequence >= current)) || refuse "$prefix: currently defined sequence $current is larger than requested sequence $sequence"
    ((sequence <= current + 1)) || refuse "$prefix: requested sequence $sequence is larger than the next available sequence number $((current + 1))"
    if ((sequence == current)) && ! same_as_desired "$state/committed.json"; then
      refuse "$prefix: attempted to redefine the current committed sequence ($current) for namespace $name with different parameters: Collections do not match"
    fi
    package=$(arg --package-id "$@")
    file="$state/approved/$CORE_PEER_LOCALMSPID/$sequence.json"
    if ((sequence == current + 1)) && same_as_desired "$file" && [[ "$(jq -r .source.Type.LocalPackage.package_id "$file")" == "$package" ]]; then
      refuse "$prefix: attempted to redefine uncommitted sequence ($sequence) for namespace $name with unchanged content"
    fi
    mkdir -p "$(dirname "$file")"
    jq --argjson s "$sequence" --arg p "$package" '. + {sequence: $s, source: {Type: {LocalPackage: {package_id: $p}}}}' "$state/desired.json" >"$file"
    if [[ -f "$state/commit-on-approve" ]]; then
      jq --argjson s "$sequence" '. + {sequence: $s}' "$state/desired.json" >"$state/committed.json"
    fi
    finish
    ;;
  "lifecycle chaincode commit")
    run_faults commit
    current=$(committed_sequence)
    prefix="proposal failed with status: 500 - failed to invoke backing implementation of 'CommitChaincodeDefinition'"
    ((sequence == current + 1)) || refuse "$prefix: requested sequence is $sequence, but new definition must be sequence $((current + 1))"
    for msp in $APPROVERS; do
      same_as_desired "$state/approved/$msp/$sequence.json" || refuse "$prefix: chaincode definition not agreed to by this org ($msp)"
    done
    jq --argjson s "$sequence" '. + {sequence: $s}' "$state/desired.json" >"$state/committed.json"
    finish
    ;;
  *) refuse "the fake peer does not know: $*";;
esac
`;

/** A fake `configtxlator proto_decode`: the decoded form of each validation parameter the test registered. */
const FAKE_CONFIGTXLATOR = String.raw`
state=$(dirname "$0")
input=$(while (($#)); do if [[ "$1" == --input ]]; then echo "$2"; fi; shift; done)
key=$(base64 -w0 <"$input" | md5sum | cut -d' ' -f1)
[[ -f "$state/decoded/$key.json" ]] || { echo "Error: the fake configtxlator cannot decode $(base64 -w0 <"$input")" >&2; exit 1; }
cat "$state/decoded/$key.json"
`;

/** A chaincode server as the fake Kubernetes API keeps it: the name and labels of its Deployment and Service. */
export interface FakeServer {
  readonly name: string;
  readonly labels: Record<string, string>;
}

/**
 * A fake `discover` that, as Fabric's service discovery, names endorsers of a chaincode only once a
 * definition is committed, and fails as 2.5 does before. A `fail <reason>` line in
 * `faults/discover` fails one call, as a peer does before gossip has spread the commit.
 */
const FAKE_DISCOVER = String.raw`
state=$(dirname "$0")
arg() { local flag=$1; shift; while (($#)); do if [[ "$1" == "$flag" ]]; then echo "$2"; return; fi; shift; done; }
name=$(arg --chaincode "$@")
echo "$(arg --server "$@")" >>"$state/discovered-at.log"
line=$(head -n 1 "$state/faults/discover" 2>/dev/null || true)
[[ -z "$line" ]] || sed -i 1d "$state/faults/discover"
if [[ "$line" == "fail "* ]]; then cut -d' ' -f2- <<<"$line" >&2; exit 1; fi
if [[ ! -f "$state/committed.json" ]]; then echo "failed constructing descriptor for chaincodes:<name:"$name" >" >&2; exit 1; fi
jq -n --arg name "$name" '[{Chaincode: $name, EndorsersByGroups: {G0: [{MSPID: "Org1MSP"}]}, Layouts: [{quantities_by_group: {G0: 1}}]}]'
`;

/** The outcome of one script run. */
export interface RunResult {
  readonly status: number | null;
  readonly stderr: string;
  /** Every CLI call, as `peer lifecycle chaincode ...`. */
  readonly calls: string[];
}

/** A fake Fabric channel for the chaincode scripts: lifecycle state in files, shared across runs. */
export class FakeFabric {
  public readonly dir: string;

  public constructor(members: string[]) {
    this.dir = mkdtempSync(join(tmpdir(), 'hyperkube-fake-fabric-'));
    for (const sub of ['faults', 'approved', 'installed', 'decoded', 'kube', 'account']) {
      mkdirSync(join(this.dir, sub));
    }
    for (const [file, text] of Object.entries({ token: 'fake-token', 'ca.crt': 'fake CA', namespace: 'fabric' })) {
      writeFileSync(join(this.dir, 'account', file), text);
    }
    writeFileSync(join(this.dir, 'kube', 'requests.log'), '');
    copyFileSync(join(__dirname, 'fake-kube-api.js'), join(this.dir, 'fake-kube-api.js'));
    this.writeFake('curl', 'exec node "$(dirname "$0")/fake-kube-api.js" "$@"');
    writeFileSync(join(this.dir, 'members'), members.join(' '));
    writeFileSync(join(this.dir, 'calls.log'), '');
    this.writeFake('peer', FAKE_PEER);
    this.writeFake('configtxlator', FAKE_CONFIGTXLATOR);
    this.writeFake('discover', FAKE_DISCOVER);
  }

  /** Sets the definition the chart's flags name: what an approval or a commit lands. */
  public desire(definition: ChaincodeDefinitionJson, packageId: string): this {
    writeFileSync(join(this.dir, 'desired.json'), JSON.stringify(this.cliShape(definition), undefined, 2));
    writeFileSync(join(this.dir, 'package-id'), packageId);
    return this;
  }

  /** Makes `definition` the committed one at `sequence`. */
  public commit(definition: ChaincodeDefinitionJson, sequence: number): this {
    writeFileSync(join(this.dir, 'committed.json'), JSON.stringify({ sequence, ...this.cliShape(definition) }, undefined, 2));
    return this;
  }

  /** Records `msp`'s approval of `definition` at `sequence` with `packageId`. */
  public approve(msp: string, definition: ChaincodeDefinitionJson, sequence: number, packageId: string): this {
    mkdirSync(join(this.dir, 'approved', msp), { recursive: true });
    const source = { Type: { LocalPackage: { package_id: packageId } } };
    writeFileSync(join(this.dir, 'approved', msp, `${sequence}.json`), JSON.stringify({ sequence, ...this.cliShape(definition), source }, undefined, 2));
    return this;
  }

  /** Lists `packageId` as installed on the peer at `address`. */
  public install(address: string, packageId: string): this {
    writeFileSync(join(this.dir, 'installed', address), `${packageId}\n`, { flag: 'a' });
    return this;
  }

  /** Runs `server` (its Deployment and Service) with `readyReplicas` ready pods. */
  public serve(server: FakeServer, readyReplicas = 1): this {
    for (const kind of ['deployments', 'services']) {
      const file = join(this.dir, 'kube', `${kind}.json`);
      const objects = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : [];
      objects.push({ ...server, readyReplicas });
      writeFileSync(file, JSON.stringify(objects));
    }
    return this;
  }

  /** Adds pod `name` of `server`, its container waiting for `reason` (as the kubelet reports it). */
  public serverPodWaits(server: FakeServer, name: string, reason: string, message: string): this {
    const file = join(this.dir, 'kube', 'pods.json');
    const pods = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : [];
    pods.push({ name, labels: { 'app.kubernetes.io/instance': server.name }, status: { containerStatuses: [{ state: { waiting: { reason, message } } }] } });
    writeFileSync(file, JSON.stringify(pods));
    return this;
  }

  /** The names of the chaincode server objects of `kind` still there. */
  public servers(kind: 'deployments' | 'services' = 'deployments'): string[] {
    const file = join(this.dir, 'kube', `${kind}.json`);
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).map((object: FakeServer) => object.name) : [];
  }

  /** The Kubernetes API requests the scripts made, as `METHOD PATH [labelSelector]`. */
  public kubeRequests(): string[] {
    return readFileSync(join(this.dir, 'kube', 'requests.log'), 'utf8').split('\n').filter(Boolean);
  }

  /** Queues faults for `operation` (`querycommitted`, `approveformyorg`, `commit`, ...), one per call. */
  public fault(operation: string, ...lines: string[]): this {
    writeFileSync(join(this.dir, 'faults', operation), lines.map((line) => `${line}\n`).join(''), { flag: 'a' });
    return this;
  }

  /** Makes each approval also commit, as if the other orgs and the commit Job followed at once. */
  public commitOnApprove(): this {
    writeFileSync(join(this.dir, 'commit-on-approve'), '');
    return this;
  }

  /** The committed sequence, 0 when nothing is committed. */
  public committedSequence(): number {
    const file = join(this.dir, 'committed.json');
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).sequence : 0;
  }

  /** The package `msp` approved at `sequence`, if any. */
  public approvedPackage(msp: string, sequence: number): string | undefined {
    const file = join(this.dir, 'approved', msp, `${sequence}.json`);
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).source.Type.LocalPackage.package_id : undefined;
  }

  /** The peer address each `peer` call went to, with its command (`address lifecycle chaincode querycommitted`). */
  public peerAddresses(): string[] {
    const file = join(this.dir, 'peer-addresses.log');
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
  }

  /** The peer addresses `discover` asked, in order. */
  public discoveredAt(): string[] {
    const file = join(this.dir, 'discovered-at.log');
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
  }

  /** Runs a library script against this channel, with a Job's `env` (its work folder is this one). */
  public run(script: string, env: Record<string, string>): RunResult {
    const before = this.calls().length;
    const result = spawnSync('bash', [join(scriptFolder(), script)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        WAIT_ATTEMPTS: '4', WAIT_SECONDS: '0', KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443',
        ...env, PATH: `${this.dir}:${toolPath()}`, WORK_DIR: this.dir, KUBE_ACCOUNT_DIR: join(this.dir, 'account'),
      },
    });
    return { status: result.status, stderr: result.stderr, calls: this.calls().slice(before) };
  }

  private calls(): string[] {
    return readFileSync(join(this.dir, 'calls.log'), 'utf8').split('\n').filter(Boolean);
  }

  private writeFake(name: string, body: string): void {
    const path = join(this.dir, name);
    writeFileSync(path, `#!/usr/bin/env bash\necho "${name} $*" >>"$(dirname "$0")/calls.log"\n${body}\n`);
    chmodSync(path, 0o755);
  }

  /**
   * A definition as the 2.5 CLI prints it (Go structures through encoding/json: zero values left
   * out, oneofs as {"Type": {...}}); its validation parameter bytes are stand-ins that the fake
   * configtxlator decodes to the policy.
   */
  private cliShape(definition: ChaincodeDefinitionJson): Record<string, unknown> {
    const parameter = Buffer.from(JSON.stringify(definition.validation_parameter)).toString('base64');
    const key = createHash('md5').update(parameter).digest('hex');
    writeFileSync(join(this.dir, 'decoded', `${key}.json`), JSON.stringify(definition.validation_parameter));
    return omitZero({
      version: definition.version,
      endorsement_plugin: definition.endorsement_plugin,
      validation_plugin: definition.validation_plugin,
      validation_parameter: parameter,
      collections: definition.collections.length === 0 ? undefined : {
        config: definition.collections.map((collection) => ({
          Payload: {
            StaticCollectionConfig: omitZero({
              name: collection.name,
              member_orgs_policy: { Payload: { SignaturePolicy: goEnvelope(collection.member_orgs_policy) } },
              required_peer_count: collection.required_peer_count,
              maximum_peer_count: collection.maximum_peer_count,
              block_to_live: collection.block_to_live,
              member_only_read: collection.member_only_read,
              member_only_write: collection.member_only_write,
            }),
          },
        })),
      },
      init_required: definition.init_required,
    });
  }
}

function goEnvelope(envelope: SignaturePolicyJson): Record<string, unknown> {
  return { rule: goRule(envelope.rule), identities: envelope.identities.map((identity) => ({ principal: identity.principal })) };
}

function goRule(rule: PolicyRuleJson): Record<string, unknown> {
  return 'signed_by' in rule
    ? { Type: { SignedBy: rule.signed_by } }
    : { Type: { NOutOf: omitZero({ n: rule.n_out_of.n, rules: rule.n_out_of.rules.map(goRule) }) } };
}

function omitZero(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined && value !== 0 && value !== false && value !== ''));
}
