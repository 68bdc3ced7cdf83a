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

import { httpRouterServiceFactory } from '@backstage/backend-defaults/httpRouter';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { ConfigReader } from '@backstage/config';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import express from 'express';
import request from 'supertest';
import { parse } from 'yaml';
import { describeOnEachDatabase } from '../../__testUtils__/databases';
import { ssfBackendFeatures } from '../../__testUtils__/ssfBackendFeatures';
import { receiverConfig } from '../__testUtils__/receiverBackend';

jest.setTimeout(60_000);

/** The repository's documented production config (see the README's checklist). */
const production = parse(
  readFileSync(
    resolve(__dirname, '../../../../../app-config.production.yaml'),
    'utf8',
  ),
);

describeOnEachDatabase(
  "Backstage's rate limit from app-config.production.yaml",
  (databases, id) => {
    it('limits the SSF plugin per client address: a flood gets 429', async () => {
      const rateLimit = production.backend.rateLimit;
      // What the README documents; if the file changes, so must this test.
      expect(rateLimit).toEqual({
        global: false,
        plugin: { ssf: { window: '1m', incomingRequestLimit: 600 } },
      });
      const limit: number = rateLimit.plugin.ssf.incomingRequestLimit;

      const knex = await databases.init(id);
      const { server } = await startTestBackend({
        features: [
          ...ssfBackendFeatures({
            knex,
            config: {
              ...receiverConfig(),
              backend: {
                baseUrl: 'http://localhost:7007',
                rateLimit: {
                  ...rateLimit,
                  plugin: {
                    ssf: {
                      ...rateLimit.plugin.ssf,
                      // Every request here comes from loopback, which the
                      // default allow list exempts; X-Forwarded-For cannot
                      // stand in, as the test root router trusts no proxy.
                      ipAllowList: [],
                    },
                  },
                },
              },
            },
          }),
          // The real plugin router, which applies
          // backend.rateLimit.plugin.ssf (the test backend's own is a mock).
          httpRouterServiceFactory,
        ],
      });
      const pushFrom = () =>
        request(server)
          .post('/api/ssf/security-events')
          .set('Content-Type', 'application/secevent+jwt')
          .send('not-a-set');

      // A flood from one address: the first `limit` reach the receiver
      // (and are refused for what they carry), the rest get 429 from
      // Backstage before any parsing.
      const statuses: number[] = [];
      for (let batch = 0; batch < limit + 20; batch += 50) {
        const size = Math.min(50, limit + 20 - batch);
        const answers = await Promise.all(
          Array.from({ length: size }, () => pushFrom()),
        );
        statuses.push(...answers.map(r => r.status));
      }
      expect(statuses.filter(s => s === 400)).toHaveLength(limit);
      expect(statuses.filter(s => s === 429)).toHaveLength(20);

      // express-rate-limit's answer, not RFC 8935's: it comes before the
      // receiver sees the request.
      const over = await pushFrom();
      expect(over.status).toBe(429);
      expect(over.body.error?.message).toMatch(/Too many requests/);
      // The other plugin routes of the same address share the count.
      const listing = await request(server).get('/api/ssf/received-events');
      expect(listing.status).toBe(429);
    });

    it('leaves the rest of the backend unlimited (global: false)', async () => {
      // The root router's middleware, as the real rootHttpRouter installs it.
      const middleware = MiddlewareFactory.create({
        config: new ConfigReader({
          backend: {
            rateLimit: {
              ...production.backend.rateLimit,
              // Would count everything if the root limit were on.
              incomingRequestLimit: 1,
              ipAllowList: [],
            },
          },
        }),
        logger: mockServices.logger.mock(),
      });
      const app = express();
      app.use(middleware.rateLimit());
      app.get('/other', (_req, res) => void res.status(204).end());
      for (let i = 0; i < 5; i++) {
        expect((await request(app).get('/other')).status).toBe(204);
      }
      // And it would limit without global: false (the test can fail).
      const limited = express();
      limited.use(
        MiddlewareFactory.create({
          config: new ConfigReader({
            backend: {
              rateLimit: { incomingRequestLimit: 1, ipAllowList: [] },
            },
          }),
          logger: mockServices.logger.mock(),
        }).rateLimit(),
      );
      limited.get('/other', (_req, res) => void res.status(204).end());
      expect((await request(limited).get('/other')).status).toBe(204);
      expect((await request(limited).get('/other')).status).toBe(429);
    });
  },
);
