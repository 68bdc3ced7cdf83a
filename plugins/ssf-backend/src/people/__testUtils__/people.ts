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

import { Entity } from '@backstage/catalog-model';

/** The annotation holding a user's id at the test identity provider. */
export const IDP_USER_ID = 'idp.example.com/user-id';

export const JANE = 'user:default/jane.doe';
export const LEAD = 'user:default/lead';
export const BOB = 'user:default/bob';
export const SECURITY_TEAM = 'group:default/security';

/** Jane's identities: an email (as the catalog spells it) and her id at the provider. */
export const JANE_EMAIL = 'Jane.Doe@example.com';
export const JANE_IDP_ID = '00u123';

function user(
  name: string,
  email: string,
  extra: { annotations?: Record<string, string>; groups?: string[] } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: {
      name,
      namespace: 'default',
      ...(extra.annotations && { annotations: extra.annotations }),
    },
    spec: {
      profile: { email, displayName: name.replace('.', ' ') },
      memberOf: extra.groups ?? [],
    },
    // What the catalog's processors would give: the in-memory catalog of
    // the tests does not compute relations.
    relations: (extra.groups ?? []).map(targetRef => ({
      type: 'memberOf',
      targetRef,
    })),
  };
}

/**
 * The organisation of the people tests: Jane and her lead in the security
 * team, Bob outside it.
 */
export const PEOPLE: Entity[] = [
  user('jane.doe', JANE_EMAIL, {
    annotations: { [IDP_USER_ID]: JANE_IDP_ID },
    groups: [SECURITY_TEAM],
  }),
  user('lead', 'lead@example.com', { groups: [SECURITY_TEAM] }),
  user('bob', 'bob@example.com'),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'security', namespace: 'default' },
    spec: { type: 'team', children: [], members: ['jane.doe', 'lead'] },
    relations: [JANE, LEAD].map(targetRef => ({
      type: 'hasMember',
      targetRef,
    })),
  },
];
