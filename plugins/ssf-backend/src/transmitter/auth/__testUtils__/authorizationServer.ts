/*
 * Copyright 2026 The Shared Signals for Backstage Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

import { spawn } from 'node:child_process';
import { resolve as resolvePath } from 'node:path';
import { createInterface } from 'node:readline';

/** A client the authorization server knows. */
export interface TestClient {
  client_id: string;
  client_secret: string;
  /** The scopes it may be granted, space-separated. */
  scope: string;
}

/**
 * Starts oidc-provider in a child process (authorizationServer.mjs) and
 * returns its endpoints and a client-credentials token helper.
 */
export async function startAuthorizationServer(options: {
  clients: TestClient[];
  audience: string;
}) {
  const child = spawn(
    process.execPath,
    [
      resolvePath(__dirname, 'authorizationServer.mjs'),
      JSON.stringify(options),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  // oidc-provider warns about its in-memory adapter; kept for failures only.
  let stderr = '';
  child.stderr!.on('data', chunk => {
    stderr += chunk;
  });
  const lines = createInterface({ input: child.stdout! });
  const endpoints = await new Promise<{
    issuer: string;
    jwks_uri: string;
    token_endpoint: string;
  }>((resolve, reject) => {
    child.once('exit', code =>
      reject(
        new Error(`the authorization server exited with ${code}: ${stderr}`),
      ),
    );
    lines.once('line', line => resolve(JSON.parse(line)));
  });

  /** RFC 6749 §4.4: a client-credentials grant, client authenticated with HTTP Basic. */
  async function token(clientId: string, scope: string): Promise<string> {
    const client = options.clients.find(c => c.client_id === clientId)!;
    const response = await fetch(endpoints.token_endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${Buffer.from(
          `${client.client_id}:${client.client_secret}`,
        ).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope }),
    });
    const body = await response.json();
    if (!response.ok) {
      throw new Error(`token request failed: ${JSON.stringify(body)}`);
    }
    return body.access_token;
  }

  return {
    ...endpoints,
    token,
    close: () =>
      new Promise<void>(resolve => {
        child.once('exit', () => resolve());
        child.stdin!.end();
      }),
  };
}
