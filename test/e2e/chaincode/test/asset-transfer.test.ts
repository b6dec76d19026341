import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Context } from 'fabric-contract-api';
import { AssetTransferContract } from '../src/asset-transfer';
import { canonicalJson } from '../src/canonical-json';

/** Just enough of ChaincodeStub for the contract: a sorted in-memory key/value store. */
class MemoryStub {
  public readonly state = new Map<string, Uint8Array>();

  public async getState(key: string): Promise<Uint8Array> {
    return this.state.get(key) ?? new Uint8Array(0);
  }

  public async putState(key: string, value: Uint8Array): Promise<void> {
    this.state.set(key, Uint8Array.from(value));
  }

  public async deleteState(key: string): Promise<void> {
    this.state.delete(key);
  }

  public getStateByRange(start: string, end: string): AsyncIterable<{ key: string; value: Uint8Array }> {
    const keys = [...this.state.keys()].filter((k) => (start === '' || k >= start) && (end === '' || k < end)).sort();
    const state = this.state;
    return {
      async *[Symbol.asyncIterator]() {
        for (const key of keys) {
          yield { key, value: state.get(key)! };
        }
      },
    };
  }

  /** Private data by collection, and what a call put in the transient map. */
  public readonly privateData = new Map<string, Map<string, Uint8Array>>();
  public transient = new Map<string, Uint8Array>();

  public getTransient(): Map<string, Uint8Array> {
    return this.transient;
  }

  public async putPrivateData(collection: string, key: string, value: Uint8Array): Promise<void> {
    const c = this.privateData.get(collection) ?? new Map<string, Uint8Array>();
    c.set(key, Uint8Array.from(value));
    this.privateData.set(collection, c);
  }

  public async getPrivateData(collection: string, key: string): Promise<Uint8Array> {
    return this.privateData.get(collection)?.get(key) ?? new Uint8Array(0);
  }

  /** Like a peer: the SHA-256 of the value, or empty when there is none. */
  public async getPrivateDataHash(collection: string, key: string): Promise<Uint8Array> {
    const value = this.privateData.get(collection)?.get(key);
    return value ? createHash('sha256').update(value).digest() : new Uint8Array(0);
  }

  public text(key: string): string {
    return Buffer.from(this.state.get(key)!).toString('utf8');
  }
}

function setup(): { cc: AssetTransferContract; ctx: Context; stub: MemoryStub } {
  const stub = new MemoryStub();
  return { cc: new AssetTransferContract(), ctx: { stub } as unknown as Context, stub };
}

describe('AssetTransferContract', () => {
  it('creates an asset and stores canonical JSON with sorted keys', async () => {
    const { cc, ctx, stub } = setup();
    await cc.CreateAsset(ctx, 'a1', 'blue', 5, 'Alice', 300);
    assert.equal(stub.text('a1'), '{"AppraisedValue":300,"Color":"blue","ID":"a1","Owner":"Alice","Size":5}');
    assert.equal(await cc.ReadAsset(ctx, 'a1'), stub.text('a1'));
    assert.equal(await cc.AssetExists(ctx, 'a1'), true);
    assert.equal(await cc.AssetExists(ctx, 'nope'), false);
  });

  it('refuses to create an asset twice', async () => {
    const { cc, ctx } = setup();
    await cc.CreateAsset(ctx, 'a1', 'blue', 5, 'Alice', 300);
    await assert.rejects(cc.CreateAsset(ctx, 'a1', 'red', 1, 'Bob', 1), /asset a1 already exists/);
  });

  it('reports missing assets clearly', async () => {
    const { cc, ctx } = setup();
    await assert.rejects(cc.ReadAsset(ctx, 'x'), /asset x does not exist/);
    await assert.rejects(cc.UpdateAsset(ctx, 'x', 'c', 1, 'o', 1), /asset x does not exist/);
    await assert.rejects(cc.DeleteAsset(ctx, 'x'), /asset x does not exist/);
    await assert.rejects(cc.TransferAsset(ctx, 'x', 'Bob'), /asset x does not exist/);
  });

  it('transfers an asset and returns the previous owner', async () => {
    const { cc, ctx } = setup();
    await cc.CreateAsset(ctx, 'a1', 'blue', 5, 'Alice', 300);
    assert.equal(await cc.TransferAsset(ctx, 'a1', 'Bob'), 'Alice');
    const asset = JSON.parse(await cc.ReadAsset(ctx, 'a1'));
    assert.deepEqual(asset, { AppraisedValue: 300, Color: 'blue', ID: 'a1', Owner: 'Bob', Size: 5 });
  });

  it('updates and deletes', async () => {
    const { cc, ctx } = setup();
    await cc.CreateAsset(ctx, 'a1', 'blue', 5, 'Alice', 300);
    await cc.UpdateAsset(ctx, 'a1', 'green', 7, 'Carol', 900);
    assert.equal(JSON.parse(await cc.ReadAsset(ctx, 'a1')).Color, 'green');
    await cc.DeleteAsset(ctx, 'a1');
    assert.equal(await cc.AssetExists(ctx, 'a1'), false);
  });

  it('seeds idempotently and lists all assets in key order', async () => {
    const { cc, ctx } = setup();
    await cc.InitLedger(ctx);
    await cc.TransferAsset(ctx, 'asset2', 'Zed');
    await cc.InitLedger(ctx);
    const all = JSON.parse(await cc.GetAllAssets(ctx));
    assert.deepEqual(all.map((a: { ID: string }) => a.ID), ['asset1', 'asset2', 'asset3']);
    assert.equal(all[1].Owner, 'Zed');
  });

  it('rejects non-numeric sizes and empty ids', async () => {
    const { cc, ctx } = setup();
    await assert.rejects(cc.CreateAsset(ctx, 'a1', 'blue', Number('x'), 'Alice', 1), /size must be a number/);
    await assert.rejects(cc.CreateAsset(ctx, '', 'blue', 1, 'Alice', 1), /non-empty/);
  });

  it('canonical JSON sorts nested keys and drops undefined', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } }), '{"a":{"d":[{"y":2,"z":1}]},"b":1}');
  });

  it('writes private data from the transient map and reads it back', async () => {
    const { cc, ctx, stub } = setup();
    stub.transient = new Map([['value', Buffer.from('{"amount":100}')]]);
    await cc.WritePrivate(ctx, 'terms', 'k1');
    assert.equal(stub.state.size, 0, 'nothing in public state');
    assert.equal(await cc.ReadPrivate(ctx, 'terms', 'k1'), '{"amount":100}');
    await assert.rejects(cc.ReadPrivate(ctx, 'other', 'k1'), /no private value under key k1 in collection other/);
  });

  it('returns the hex SHA-256 of a private value', async () => {
    const { cc, ctx, stub } = setup();
    stub.transient = new Map([['value', Buffer.from('secret')]]);
    await cc.WritePrivate(ctx, 'terms', 'k1');
    assert.equal(await cc.ReadPrivateHash(ctx, 'terms', 'k1'), createHash('sha256').update('secret').digest('hex'));
    await assert.rejects(cc.ReadPrivateHash(ctx, 'terms', 'k2'), /no private data hash under key k2/);
  });

  it('refuses a private write without a transient value, and empty names', async () => {
    const { cc, ctx, stub } = setup();
    await assert.rejects(cc.WritePrivate(ctx, 'terms', 'k1'), /transient map, key "value"; it is missing or empty/);
    stub.transient = new Map([['value', new Uint8Array(0)]]);
    await assert.rejects(cc.WritePrivate(ctx, 'terms', 'k1'), /missing or empty/);
    stub.transient = new Map([['value', Buffer.from('x')]]);
    await assert.rejects(cc.WritePrivate(ctx, '', 'k1'), /collection must be a non-empty string/);
    await assert.rejects(cc.ReadPrivate(ctx, 'terms', ''), /key must be a non-empty string/);
    assert.equal(stub.privateData.size, 0);
  });
});
