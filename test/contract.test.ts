import { assertValidSchema, buildSchema, isInterfaceType, isObjectType, type GraphQLNamedType } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { LabelCatalog } from '../supergraph/labels/index.ts';
import { contractSchema } from '../supergraph/policy/index.ts';

const schema = buildSchema(`
  interface Node { id: ID! secret: String! }
  type Account implements Node { id: ID! secret: String! name: String! }
  type Admin implements Node { id: ID! secret: String! }
  type Query { node(id: ID!): Node! accounts: [Account!]! }
`);

function catalog(notShared: string[]): LabelCatalog {
  return { fields: new Map(notShared.map((c) => [c, { coordinate: c, label: { sharing: 'NOT_SHARED' } }])) } as unknown as LabelCatalog;
}

const fieldsOf = (type: GraphQLNamedType | undefined) => (type && (isObjectType(type) || isInterfaceType(type)) ? Object.keys(type.getFields()) : []);

describe('the contract schema', () => {
  it('makes the fields of objects and interfaces alike nullable, and stays a valid schema', () => {
    const contract = contractSchema(schema, catalog([]));
    expect(() => assertValidSchema(contract)).not.toThrow();
    expect(String(contract.getQueryType()!.getFields().node!.type)).toBe('Node');
    expect(String((contract.getType('Node') as import('graphql').GraphQLInterfaceType).getFields().id!.type)).toBe('ID');
    expect(String(contract.getQueryType()!.getFields().accounts!.type)).toBe('[Account]');
  });

  it('hides an interface field wherever one implementation’s field is NOT_SHARED', () => {
    const contract = contractSchema(schema, catalog(['Admin.secret']));
    expect(() => assertValidSchema(contract)).not.toThrow();
    expect(fieldsOf(contract.getType('Admin'))).toEqual(['id']);
    expect(fieldsOf(contract.getType('Node'))).toEqual(['id']);
    expect(fieldsOf(contract.getType('Account'))).toEqual(['id', 'secret', 'name']);
  });
});
