// The four subgraphs of the standard federation benchmark shape (accounts, inventory, products,
// reviews): SDL from fixtures/, values from fixtures/data.json, resolvers written here.

import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse, type GraphQLSchema } from 'graphql';

interface User { id: string; name: string; username: string; birthday: number }
interface Product { upc: string; name: string; price: number; weight: number }
interface Stock { upc: string; inStock: boolean }
interface Review { id: string; body: string; productUpc: string }
interface Data { users: User[]; products: Product[]; inventory: Stock[]; reviews: Review[] }

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const data = JSON.parse(fixture('data.json')) as Data;

const byId = <T, K extends keyof T>(rows: T[], key: K) => new Map(rows.map((r) => [r[key], r]));
const users = byId(data.users, 'id');
const products = byId(data.products, 'upc');
const stock = byId(data.inventory, 'upc');
const reviews = byId(data.reviews, 'id');

// The benchmark's fixed relations: every review is by user 1, and every user wrote reviews 1 and 2.
const AUTHOR = data.users[0]!;
const REVIEWS_OF_EVERY_USER = ['1', '2'].map((id) => reviews.get(id)!);

const resolvers = {
  accounts: {
    Query: {
      me: () => AUTHOR,
      user: (_: unknown, { id }: { id: string }) => users.get(id) ?? null,
      users: () => data.users,
    },
    User: { __resolveReference: (ref: { id: string }) => users.get(ref.id) ?? null },
  },
  products: {
    Query: { topProducts: (_: unknown, { first }: { first: number }) => data.products.slice(0, first) },
    Product: { __resolveReference: (ref: { upc: string }) => products.get(ref.upc) ?? null },
  },
  inventory: {
    Product: {
      __resolveReference: (ref: { upc: string; price?: number; weight?: number }) => ({ ...ref, ...stock.get(ref.upc) }),
      // The query plan must send price and weight (@requires); a gateway that skips that step
      // gets an error here instead of a quiet null.
      shippingEstimate: (p: { upc: string; price?: number; weight?: number }) => {
        if (typeof p.price !== 'number' || typeof p.weight !== 'number') {
          throw new GraphQLError(`Product ${p.upc}: @requires(fields: "price weight") was not satisfied`);
        }
        return null;
      },
    },
  },
  reviews: {
    Review: {
      __resolveReference: (ref: { id: string }) => reviews.get(ref.id) ?? null,
      product: (r: Review) => ({ __typename: 'Product', upc: r.productUpc }),
      author: () => ({ __typename: 'User', id: AUTHOR.id, username: AUTHOR.username }),
    },
    User: { reviews: () => REVIEWS_OF_EVERY_USER },
    Product: { reviews: (p: { upc: string }) => data.reviews.filter((r) => r.productUpc === p.upc) },
  },
} as const;

export type StandardSubgraphName = keyof typeof resolvers;
export const STANDARD_SUBGRAPHS = Object.keys(resolvers) as StandardSubgraphName[];

export function standardSdl(name: StandardSubgraphName): string {
  return fixture(`${name}.graphql`);
}

export function standardSchema(name: StandardSubgraphName): GraphQLSchema {
  return buildSubgraphSchema({ typeDefs: parse(standardSdl(name)), resolvers: resolvers[name] as never });
}

export const STANDARD_QUERY = fixture('query.graphql');
export const STANDARD_EXPECTED = JSON.parse(fixture('expected-response.json')) as { data: unknown };
