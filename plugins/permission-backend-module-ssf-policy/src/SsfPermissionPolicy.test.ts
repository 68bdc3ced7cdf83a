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

import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { SsfPermissionPolicy } from './SsfPermissionPolicy';

const permission = (name: string, action?: 'read' | 'update') => ({
  type: 'basic' as const,
  name,
  attributes: action ? { action } : {},
});

describe('SsfPermissionPolicy', () => {
  const policy = new SsfPermissionPolicy({
    groups: {
      adminGroups: ['group:default/ssf-admins'],
      readerGroups: ['group:default/security'],
    },
    userInfo: {
      // The catalog's membership of three users.
      getUserInfo: async credentials => {
        const ref = (credentials.principal as { userEntityRef: string })
          .userEntityRef;
        const groups: Record<string, string[]> = {
          'user:default/alice': ['group:default/SSF-Admins'],
          'user:default/sam': ['group:default/security'],
          'user:default/guest': ['group:default/guests'],
        };
        return {
          userEntityRef: ref,
          ownershipEntityRefs: [ref, ...(groups[ref] ?? [])],
        };
      },
    },
    delegate: { handle: async () => ({ result: AuthorizeResult.ALLOW }) },
  });
  const as = (ref: string) => ({
    credentials: mockCredentials.user(ref),
    info: { userEntityRef: ref, ownershipEntityRefs: [] },
  });

  it('grants every ssf.* permission to the admin groups (compared in lower case)', async () => {
    for (const p of [
      permission('ssf.stream.manage', 'update'),
      permission('ssf.stream.read', 'read'),
      permission('ssf.hook.manage', 'update'),
    ]) {
      expect(
        (await policy.handle({ permission: p }, as('user:default/alice')))
          .result,
      ).toBe(AuthorizeResult.ALLOW);
    }
  });

  it('grants only the read permissions to the reader groups', async () => {
    const sam = as('user:default/sam');
    expect(
      (
        await policy.handle(
          { permission: permission('ssf.provider.read', 'read') },
          sam,
        )
      ).result,
    ).toBe(AuthorizeResult.ALLOW);
    expect(
      (
        await policy.handle(
          { permission: permission('ssf.provider.manage', 'update') },
          sam,
        )
      ).result,
    ).toBe(AuthorizeResult.DENY);
  });

  it('denies ssf.* to everyone else and to requests without a user, and delegates the rest', async () => {
    const guest = as('user:default/guest');
    expect(
      (
        await policy.handle(
          { permission: permission('ssf.stream.manage', 'update') },
          guest,
        )
      ).result,
    ).toBe(AuthorizeResult.DENY);
    expect(
      (
        await policy.handle({
          permission: permission('ssf.stream.read', 'read'),
        })
      ).result,
    ).toBe(AuthorizeResult.DENY);
    expect(
      (
        await policy.handle(
          {
            permission: permission(
              'scaffolder.template.parameter.read',
              'read',
            ),
          },
          guest,
        )
      ).result,
    ).toBe(AuthorizeResult.ALLOW);
  });

  describe('catalog reads', () => {
    const catalogRead = {
      type: 'resource' as const,
      name: 'catalog.entity.read',
      attributes: { action: 'read' as const },
      resourceType: 'catalog-entity',
    };
    // The catalog's own rule names and parameters (HAS_ANNOTATION).
    const hidden = {
      not: {
        anyOf: [
          {
            rule: 'HAS_ANNOTATION',
            resourceType: 'catalog-entity',
            params: { annotation: 'shared-signals/stream-id' },
          },
          {
            rule: 'HAS_ANNOTATION',
            resourceType: 'catalog-entity',
            params: { annotation: 'shared-signals/provider-id' },
          },
        ],
      },
    };
    const withDelegate = (decision: object) =>
      new SsfPermissionPolicy({
        groups: { adminGroups: ['user:default/alice'], readerGroups: [] },
        userInfo: {
          getUserInfo: async c => ({
            userEntityRef: (c.principal as { userEntityRef: string })
              .userEntityRef,
            ownershipEntityRefs: [
              (c.principal as { userEntityRef: string }).userEntityRef,
            ],
          }),
        },
        delegate: { handle: async () => decision as any },
      });

    it('leaves the SSF entities out for users without the read permissions', async () => {
      expect(
        await policy.handle(
          { permission: catalogRead },
          as('user:default/guest'),
        ),
      ).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: hidden,
      });
      for (const reader of ['user:default/alice', 'user:default/sam']) {
        expect(
          await policy.handle({ permission: catalogRead }, as(reader)),
        ).toEqual({ result: AuthorizeResult.ALLOW });
      }
    });

    it("keeps the delegate's own conditions and denials", async () => {
      const own = {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: ['user:default/guest'] },
      };
      expect(
        await withDelegate({
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'catalog',
          resourceType: 'catalog-entity',
          conditions: own,
        }).handle({ permission: catalogRead }, as('user:default/guest')),
      ).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: { allOf: [own, hidden] },
      });
      expect(
        await withDelegate({ result: AuthorizeResult.DENY }).handle(
          { permission: catalogRead },
          as('user:default/alice'),
        ),
      ).toEqual({ result: AuthorizeResult.DENY });
    });
  });
});
