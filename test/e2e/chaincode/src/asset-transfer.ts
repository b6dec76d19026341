import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { Asset } from './asset';
import { canonicalJson } from './canonical-json';

const SEED: ReadonlyArray<Asset> = [
  { ID: 'asset1', Color: 'blue', Size: 5, Owner: 'Tomoko', AppraisedValue: 300 },
  { ID: 'asset2', Color: 'red', Size: 5, Owner: 'Brad', AppraisedValue: 400 },
  { ID: 'asset3', Color: 'green', Size: 10, Owner: 'Jin Soo', AppraisedValue: 500 },
];

/** The transient-map key under which WritePrivate expects its value. */
export const PRIVATE_VALUE = 'value';

/**
 * Asset-transfer contract used by the Hyperkube end-to-end test, with a few private data functions
 * for networks whose chaincode definition has collections.
 * Values are stored as canonical JSON so that every peer endorses identical bytes.
 */
@Info({ title: 'AssetTransfer', description: 'Hyperkube e2e reference asset-transfer contract' })
export class AssetTransferContract extends Contract {
  constructor() {
    super('AssetTransfer');
  }

  /** Seeds a few sample assets; skips any that already exist, so it is safe to call again. */
  @Transaction()
  public async InitLedger(ctx: Context): Promise<void> {
    for (const asset of SEED) {
      if (!(await this.AssetExists(ctx, asset.ID))) {
        await this.putAsset(ctx, { ...asset });
      }
    }
  }

  @Transaction()
  public async CreateAsset(
    ctx: Context,
    id: string,
    color: string,
    size: number,
    owner: string,
    appraisedValue: number,
  ): Promise<void> {
    requireId(id);
    if (await this.AssetExists(ctx, id)) {
      throw new Error(`asset ${id} already exists`);
    }
    await this.putAsset(ctx, makeAsset(id, color, size, owner, appraisedValue));
  }

  @Transaction(false)
  @Returns('string')
  public async ReadAsset(ctx: Context, id: string): Promise<string> {
    return canonicalJson(await this.getAsset(ctx, id));
  }

  @Transaction()
  public async UpdateAsset(
    ctx: Context,
    id: string,
    color: string,
    size: number,
    owner: string,
    appraisedValue: number,
  ): Promise<void> {
    requireId(id);
    if (!(await this.AssetExists(ctx, id))) {
      throw new Error(`asset ${id} does not exist`);
    }
    await this.putAsset(ctx, makeAsset(id, color, size, owner, appraisedValue));
  }

  @Transaction()
  public async DeleteAsset(ctx: Context, id: string): Promise<void> {
    requireId(id);
    if (!(await this.AssetExists(ctx, id))) {
      throw new Error(`asset ${id} does not exist`);
    }
    await ctx.stub.deleteState(id);
  }

  @Transaction(false)
  @Returns('boolean')
  public async AssetExists(ctx: Context, id: string): Promise<boolean> {
    const data = await ctx.stub.getState(id);
    return data !== undefined && data !== null && data.length > 0;
  }

  /** Sets a new owner and returns the previous one. */
  @Transaction()
  @Returns('string')
  public async TransferAsset(ctx: Context, id: string, newOwner: string): Promise<string> {
    if (typeof newOwner !== 'string' || newOwner.length === 0) {
      throw new Error('new owner must be a non-empty string');
    }
    const asset = await this.getAsset(ctx, id);
    const oldOwner = asset.Owner;
    asset.Owner = newOwner;
    await this.putAsset(ctx, asset);
    return oldOwner;
  }

  /** All assets in key order, as a JSON array. */
  @Transaction(false)
  @Returns('string')
  public async GetAllAssets(ctx: Context): Promise<string> {
    const assets: Asset[] = [];
    for await (const entry of ctx.stub.getStateByRange('', '')) {
      const text = Buffer.from(entry.value).toString('utf8');
      try {
        assets.push(JSON.parse(text) as Asset);
      } catch {
        throw new Error(`value under key ${entry.key} is not valid JSON`);
      }
    }
    return canonicalJson(assets);
  }

  /**
   * Writes a private data value under key in collection. The value comes from the transient map
   * (key "value"), so it never appears in the transaction the orderers and non-members see.
   */
  @Transaction()
  public async WritePrivate(ctx: Context, collection: string, key: string): Promise<void> {
    requireName('collection', collection);
    requireName('key', key);
    const value = ctx.stub.getTransient().get(PRIVATE_VALUE);
    if (!value || value.length === 0) {
      throw new Error(`WritePrivate takes the value from the transient map, key "${PRIVATE_VALUE}"; it is missing or empty`);
    }
    await ctx.stub.putPrivateData(collection, key, value);
  }

  /** The private value under key in collection. Fabric refuses non-members when the collection is memberOnlyRead. */
  @Transaction(false)
  @Returns('string')
  public async ReadPrivate(ctx: Context, collection: string, key: string): Promise<string> {
    requireName('collection', collection);
    requireName('key', key);
    const data = await ctx.stub.getPrivateData(collection, key);
    if (!data || data.length === 0) {
      throw new Error(`no private value under key ${key} in collection ${collection}`);
    }
    return Buffer.from(data).toString('utf8');
  }

  /** The SHA-256 (hex) of the private value under key in collection, as every peer of the channel stores it. */
  @Transaction(false)
  @Returns('string')
  public async ReadPrivateHash(ctx: Context, collection: string, key: string): Promise<string> {
    requireName('collection', collection);
    requireName('key', key);
    const hash = await ctx.stub.getPrivateDataHash(collection, key);
    if (!hash || hash.length === 0) {
      throw new Error(`no private data hash under key ${key} in collection ${collection}`);
    }
    return Buffer.from(hash).toString('hex');
  }

  private async getAsset(ctx: Context, id: string): Promise<Asset> {
    requireId(id);
    const data = await ctx.stub.getState(id);
    if (!data || data.length === 0) {
      throw new Error(`asset ${id} does not exist`);
    }
    return JSON.parse(Buffer.from(data).toString('utf8')) as Asset;
  }

  private async putAsset(ctx: Context, asset: Asset): Promise<void> {
    await ctx.stub.putState(asset.ID, Buffer.from(canonicalJson(asset), 'utf8'));
  }
}

function requireName(what: string, value: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`${what} must be a non-empty string`);
  }
}

function requireId(id: string): void {
  if (typeof id !== 'string' || id.length === 0) {
    throw new Error('asset id must be a non-empty string');
  }
}

function makeAsset(id: string, color: string, size: number, owner: string, appraisedValue: number): Asset {
  if (!Number.isFinite(size)) {
    throw new Error(`size must be a number, got ${String(size)}`);
  }
  if (!Number.isFinite(appraisedValue)) {
    throw new Error(`appraisedValue must be a number, got ${String(appraisedValue)}`);
  }
  return { ID: id, Color: color, Size: size, Owner: owner, AppraisedValue: appraisedValue };
}
