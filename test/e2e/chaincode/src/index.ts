import { AssetTransferContract } from './asset-transfer';

export { AssetTransferContract } from './asset-transfer';
export { Asset } from './asset';

/** fabric-shim's bootstrap reads this list from the module named by package.json "main". */
export const contracts: unknown[] = [AssetTransferContract];

// The server runs as PID 1 of its container, where a signal without a handler does nothing: without
// these, deleting or replacing the pod waits out its whole termination grace period (30 s).
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => process.exit(0));
}
