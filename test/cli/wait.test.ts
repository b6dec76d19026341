import { telling } from '../../lib/cli/jobs';
import { ProgressDisplay, WaitProgress, waitForJobs } from '../../lib/cli/wait';
import { FakeCluster, job, jobPod } from './fake-cluster';

/** A display that keeps what it was shown. */
function recorder(): ProgressDisplay & { shown: WaitProgress[]; stopped: boolean } {
  const display = { shown: [] as WaitProgress[], stopped: false, update: (p: WaitProgress) => display.shown.push(p), stop: () => { display.stopped = true; } };
  return display;
}

/** A clock that moves 2 s at each sleep, and a sleep that lets the test change the cluster. */
function clock(onSleep: (tick: number) => void = () => {}) {
  let now = 0;
  let tick = 0;
  return { now: () => now, sleep: async (ms: number) => { now += ms; onSleep(++tick); } };
}

describe('hyperkube wait', () => {
  test('GIVEN Jobs that complete one by one WHEN waiting THEN it shows each step and succeeds when all are complete', async () => {
    const cluster = new FakeCluster();
    cluster.jobs = [job('a', 'running'), job('b', 'running')];
    const display = recorder();
    const time = clock((tick) => { cluster.jobs = [job('a', 'complete'), job('b', tick >= 2 ? 'complete' : 'running')]; });
    const result = await waitForJobs(cluster, { namespace: 'fabric', timeoutSeconds: 60, display, ...time });
    expect(result.ok).toBe(true);
    expect(display.shown.map((p) => `${p.complete}/${p.total} ${p.running.join(',')}`)).toEqual(['0/2 a,b', '1/2 b', '2/2 ']);
    expect(display.stopped).toBe(true);
  });

  test('GIVEN a failed Job WHEN waiting THEN it stops at once and explains it with the ERROR lines of its log', async () => {
    const cluster = new FakeCluster();
    cluster.jobs = [job('ok', 'complete'), job('cc-commit', 'failed', 'commit-chaincode')];
    cluster.pods = [jobPod('cc-commit', ['run'])];
    cluster.logs['cc-commit-x1/run'] = 'waiting for x\nREFUSED: sequence 1 is below the committed sequence 2\nexit\n';
    const result = await waitForJobs(cluster, { namespace: 'fabric', timeoutSeconds: 60, display: recorder(), ...clock() });
    expect(result.ok).toBe(false);
    expect(result.explanation).toEqual([
      '1 Job(s) failed: cc-commit',
      'cc-commit: pod cc-commit-x1 is Pending',
      '  run: REFUSED: sequence 1 is below the committed sequence 2',
    ]);
  });

  test('GIVEN a Job whose pod cannot start WHEN the timeout passes THEN it fails naming the pod and the kubelet\'s reason', async () => {
    const cluster = new FakeCluster();
    cluster.jobs = [job('join', 'running')];
    cluster.pods = [jobPod('join', ['run'], { reason: 'ContainerCreating', message: 'secret "org1-admin" not found' })];
    const result = await waitForJobs(cluster, { namespace: 'fabric', timeoutSeconds: 10, display: recorder(), ...clock() });
    expect(result.ok).toBe(false);
    expect(result.elapsedSeconds).toBe(10);
    expect(result.explanation).toEqual([
      '1 Job(s) still running after 10s: join',
      'join: pod join-x1 is Pending, waiting: run ContainerCreating (secret "org1-admin" not found)',
    ]);
  });

  test('GIVEN no Job of Hyperkube and a CronJob\'s run WHEN the timeout passes THEN it says to apply the manifests or name the namespace', async () => {
    const cluster = new FakeCluster();
    cluster.jobs = [job('org1-renew-identities-1', 'complete', 'enroll-identities', 'org1-renew-identities')];
    const result = await waitForJobs(cluster, { namespace: 'elsewhere', timeoutSeconds: 4, display: recorder(), ...clock() });
    expect(result.explanation).toEqual(['no Job of Hyperkube in namespace elsewhere: apply the manifests, or name the namespace with -n']);
  });

  test('GIVEN a log WHEN it is told THEN its ERROR lines are, else its last line', () => {
    expect(telling('waiting 1\nwaiting 2\n\n')).toEqual(['waiting 2']);
    expect(telling('a\nERROR: x\nb\n')).toEqual(['ERROR: x']);
    expect(telling('ERROR: 1\nERROR: 2\nERROR: 3\nERROR: 4\nERROR: 5\nERROR: 6\n')).toEqual(['ERROR: 2', 'ERROR: 3', 'ERROR: 4', 'ERROR: 5', 'ERROR: 6']);
  });

  test('GIVEN a Job whose earlier pods failed WHEN it is explained THEN the count of failed pods is said', async () => {
    const cluster = new FakeCluster();
    cluster.jobs = [job('approve', 'running', 'approve-chaincode')];
    const failed = jobPod('approve', ['run']);
    const current = jobPod('approve', ['run']);
    cluster.pods = [
      { ...failed, metadata: { ...failed.metadata, name: 'approve-a' }, status: { phase: 'Failed' } },
      { ...current, metadata: { ...current.metadata, name: 'approve-b', creationTimestamp: new Date('2026-01-01T00:05:00Z') }, status: { phase: 'Running' } },
    ];
    cluster.logs['approve-b/run'] = 'waiting for x (attempt 1/90)\nwaiting for x (attempt 2/90): server has no ready pod: ImagePullBackOff\n';
    const result = await waitForJobs(cluster, { namespace: 'fabric', timeoutSeconds: 2, display: recorder(), ...clock() });
    expect(result.explanation).toEqual([
      '1 Job(s) still running after 2s: approve',
      'approve: pod approve-b is Running (after 1 failed pod)',
      '  run: waiting for x (attempt 2/90): server has no ready pod: ImagePullBackOff',
    ]);
  });
});
