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

import { mockServices } from '@backstage/backend-test-utils';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { validate } from 'jsonschema';
import { SsfClient } from '../client';

/** Where the fake SSF backend lives. */
export const SSF_BASE = 'http://ssf.test/api/ssf';

/** One request the fake backend got. */
export interface FakeCall {
  key: string;
  query: Record<string, string>;
  body: any;
  authorization?: string;
}

type Reply = {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
};
type Handler = (call: FakeCall) => Reply | Promise<Reply>;

/**
 * An in-memory stand-in for the SSF backend's HTTP API: answers by
 * `"METHOD /path"` and records every call, so action tests can see exactly
 * what was sent (and that secrets went only where they belong).
 */
export function createFakeSsf() {
  const calls: FakeCall[] = [];
  const handlers = new Map<string, Handler>();
  handlers.set('GET /.well-known/ssf-configuration', () => ({
    status: 200,
    body: {
      issuer: SSF_BASE,
      configuration_endpoint: `${SSF_BASE}/streams`,
    },
  }));

  const fetchImpl = (async (input: URL | RequestInfo, init?: RequestInit) => {
    const url = new URL(String(input));
    const key = `${init?.method ?? 'GET'} ${url.pathname.slice(
      new URL(SSF_BASE).pathname.length,
    )}`;
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const call: FakeCall = {
      key,
      query: Object.fromEntries(url.searchParams),
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
      authorization: headers.Authorization,
    };
    calls.push(call);
    const handler = handlers.get(key);
    const reply: Reply = handler
      ? await handler(call)
      : {
          status: 404,
          body: {
            error: { name: 'NotFoundError', message: `no route ${key}` },
          },
        };
    return new Response(
      reply.body === undefined ? null : JSON.stringify(reply.body),
      {
        status: reply.status,
        headers: { 'Content-Type': 'application/json', ...reply.headers },
      },
    );
  }) as typeof fetch;

  const client = new SsfClient({
    discovery: {
      getBaseUrl: async () => SSF_BASE,
      getExternalBaseUrl: async () => SSF_BASE,
    },
    auth: mockServices.auth(),
    fetch: fetchImpl,
  });

  return {
    client,
    calls,
    on(key: string, handler: Handler) {
      handlers.set(key, handler);
    },
    /** Calls other than the public metadata read. */
    apiCalls: () =>
      calls.filter(c => c.key !== 'GET /.well-known/ssf-configuration'),
  };
}

/** A Backstage error body, as the stream routes answer. */
export function backstageError(status: number, message: string): Reply {
  return {
    status,
    body: {
      error: { name: 'Error', message },
      response: { statusCode: status },
    },
  };
}

/**
 * The problems the scaffolder would report for this input: it validates each
 * step's input against the action's JSON schema (made from the zod schema)
 * with jsonschema before running the handler.
 */
export function schemaErrors(
  action: TemplateAction<any, any, any>,
  input: Record<string, unknown>,
) {
  return validate(input, action.schema!.input as any).errors.map(e => e.stack);
}
