// The sample platform with single sign-on through the test identity provider: the gateway's port is
// chosen first, since the provider must know its callback and the gateway the provider's issuer.

import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { SignInConfiguration } from '../../supergraph/config/index.ts';
import { CLIENT, MAPPING, startIdentityProvider, type TestIdentityProvider } from './identity-provider.ts';
import { sampleAuthorization, startTestPlatform, type TestPlatform } from './platform.ts';

export const SESSION_SECRET = 'the-session-secret-of-the-sign-in-tests';

export interface SignInPlatform {
  platform: TestPlatform;
  provider: TestIdentityProvider;
  /** The gateway's origin, where it listens. */
  base: string;
  settings: SignInConfiguration;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startSignInPlatform(): Promise<SignInPlatform> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const provider = await startIdentityProvider(base);
  const settings: SignInConfiguration = {
    issuer: provider.issuer, clientId: CLIENT.id, clientSecret: CLIENT.secret, redirectUrl: `${base}/auth/callback`,
    scopes: ['openid', 'profile', 'jointgraph'], ...MAPPING, sessionSeconds: 8 * 3_600, sessionSecret: SESSION_SECRET,
  };
  const platform = await startTestPlatform({ authorization: sampleAuthorization({ signIn: settings }) });
  await platform.gateway.listen({ host: '127.0.0.1', port });
  return {
    platform, provider, base, settings,
    async close() {
      await platform.close();
      await provider.close();
    },
  };
}
