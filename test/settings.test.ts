import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { auditKeyFileFor, authorizationSettings } from '../server/authorization.ts';
import { ConfigError, loadSettings, parseSubgraphList } from '../supergraph/config/index.ts';

describe('settings', () => {
  it('has embedded defaults that need no server', () => {
    const s = loadSettings({});
    expect(s).toMatchObject({ port: 4000, subgraphBasePort: 4001, city: { persons: 10_000, enterprises: 2_000 } });
    expect(Object.isFrozen(s)).toBe(true);
  });

  it('makes every port and the city size a setting', () => {
    const s = loadSettings({ JG_PORT: '5000', JG_SUBGRAPH_BASE_PORT: '6001', JG_PERSONS: '1000000', JG_ENTERPRISES: '200000' });
    expect(s).toMatchObject({ port: 5000, subgraphBasePort: 6001, city: { persons: 1_000_000, enterprises: 200_000 } });
  });

  it('names the setting that is wrong', () => {
    expect(() => loadSettings({ JG_PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadSettings({ JG_PORT: 'eighty' })).toThrow(/^JG_PORT: expected a whole number/);
    expect(() => loadSettings({ JG_SUBGRAPH_TIMEOUT_MS: '0' })).toThrow(/JG_SUBGRAPH_TIMEOUT_MS/);
  });

  it('keeps the audit key in a folder the configuration names: server.dataDir, whatever the state folder', () => {
    const placed = (env: Record<string, string>) => auditKeyFileFor(authorizationSettings(loadSettings(env)));
    expect(placed({ JG_DATA_DIR: '/srv/jointgraph' })).toBe(join('/srv/jointgraph', 'keys', 'audit-signing.pem'));
    // A state folder elsewhere: the key does not follow it out of the folders named (it went to /var/lib/keys before).
    expect(placed({ JG_DATA_DIR: '/srv/jointgraph', JG_STATE_DIR: '/var/lib/state' })).toBe(join('/srv/jointgraph', 'keys', 'audit-signing.pem'));
    expect(placed({ JG_DATA_DIR: '/srv/jointgraph', JG_AUDIT_KEY_FILE: '/etc/jointgraph/audit.pem' })).toBe('/etc/jointgraph/audit.pem');
  });
});

describe("the operator's subgraph list", () => {
  it('reads names, URLs, SDL files and timeouts', () => {
    const list = parseSubgraphList({ subgraphs: [{ name: 'tax', url: 'http://127.0.0.1:4004/graphql', sdlFile: 'tax.graphql', timeoutMs: 800 }] }, '/srv');
    expect(list).toEqual([{ name: 'tax', url: 'http://127.0.0.1:4004/graphql', sdlFile: '/srv/tax.graphql', timeoutMs: 800 }]);
  });

  it('rejects duplicates, bad URLs and bad timeouts with the entry named', () => {
    const entry = { name: 'tax', url: 'http://x/graphql' };
    expect(() => parseSubgraphList({ subgraphs: [entry, entry] }, '/')).toThrow(/subgraphs\[1\].*listed twice/);
    expect(() => parseSubgraphList({ subgraphs: [{ name: 'tax', url: 'ftp://x' }] }, '/')).toThrow(/http\(s\) URL/);
    expect(() => parseSubgraphList({ subgraphs: [{ ...entry, timeoutMs: -1 }] }, '/')).toThrow(/timeoutMs/);
    expect(() => parseSubgraphList({}, '/')).toThrow(/at least one subgraph/);
  });
});
