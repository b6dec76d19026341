import { AssetTransferContract } from './asset-transfer';

export { AssetTransferContract } from './asset-transfer';
export { Asset } from './asset';

/** fabric-shim's bootstrap reads this list from the module named by package.json "main". */
export const contracts: unknown[] = [AssetTransferContract];
