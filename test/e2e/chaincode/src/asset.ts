import { Object as DataType, Property } from 'fabric-contract-api';

/**
 * One asset as stored in world state (key = ID).
 * Property types are written out explicitly: the contract metadata is built from TypeScript's
 * emitted design types, and an inferred type would be emitted as a bare `Object`.
 */
@DataType()
export class Asset {
  @Property()
  public ID!: string;

  @Property()
  public Color!: string;

  @Property()
  public Size!: number;

  @Property()
  public Owner!: string;

  @Property()
  public AppraisedValue!: number;
}
