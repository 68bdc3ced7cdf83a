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

import { canonicalPath, entityAttributes, hashAttributes } from './attributes';
import { diffAttributes, patchAttributes } from './diff';

describe('canonicalPath', () => {
  it.each([
    ['spec.profile.email', 'spec.profile.email'],
    [
      'metadata.annotations[ssf.io/lifecycle]',
      'metadata.annotations["ssf.io/lifecycle"]',
    ],
    [
      'metadata.annotations["ssf.io/lifecycle"]',
      'metadata.annotations["ssf.io/lifecycle"]',
    ],
    ['metadata.labels[team]', 'metadata.labels.team'],
    ['metadata.labels["a \\"b\\""]', 'metadata.labels["a \\"b\\""]'],
    [' status ', 'status'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalPath(input)).toBe(expected);
  });

  it.each([
    ['', /empty/],
    ['a[', /unclosed or empty/],
    ['a[]', /unclosed or empty/],
    ['a..b', /empty segment/],
    ['a["x"]b', /needs a "." or "\["/],
  ])('refuses %p', (input, message) => {
    expect(() => canonicalPath(input)).toThrow(message);
  });
});

describe('entityAttributes', () => {
  const entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: {
      name: 'jdoe',
      namespace: 'default',
      uid: 'u-1',
      etag: 'e-1',
      generation: 3,
      annotations: { 'ssf.io/lifecycle': 'active' },
      labels: { team: 'core' },
      tags: ['b', 'a'],
    },
    spec: {
      profile: { email: 'jdoe@example.com', displayName: 'J. Doe' },
      memberOf: ['group:default/b', 'group:default/a'],
    },
    relations: [
      { type: 'memberOf', targetRef: 'group:default/c' },
      { type: 'ownerOf', targetRef: 'component:default/x' },
    ],
  };

  it('flattens metadata, spec and group membership, ignoring what changes on every write', () => {
    expect(entityAttributes(entity)).toEqual({
      'metadata.name': 'jdoe',
      'metadata.namespace': 'default',
      'metadata.annotations["ssf.io/lifecycle"]': 'active',
      'metadata.labels.team': 'core',
      'metadata.tags': 'a,b',
      'spec.profile.email': 'jdoe@example.com',
      'spec.profile.displayName': 'J. Doe',
      'spec.memberOf': 'group:default/a,group:default/b',
      'relations.memberOf': 'group:default/c',
    });
  });

  it('hashes the same attributes the same whatever their order', () => {
    const reordered = {
      ...entity,
      metadata: { ...entity.metadata, uid: 'u-2', etag: 'e-2' },
      spec: {
        ...entity.spec,
        memberOf: ['group:default/a', 'group:default/b'],
      },
    };
    expect(hashAttributes(entityAttributes(reordered))).toBe(
      hashAttributes(entityAttributes(entity)),
    );
    expect(
      hashAttributes({ ...entityAttributes(entity), 'metadata.name': 'x' }),
    ).not.toBe(hashAttributes(entityAttributes(entity)));
  });
});

describe('diffAttributes', () => {
  it('names each changed, added and removed attribute', () => {
    expect(
      diffAttributes({ a: '1', b: '2', c: '3' }, { a: '1', b: '20', d: '4' }),
    ).toEqual([
      { kind: 'attribute_changed', path: 'b', from: '2', to: '20' },
      { kind: 'attribute_changed', path: 'c', from: '3' },
      { kind: 'attribute_changed', path: 'd', to: '4' },
    ]);
  });

  it('sees new and removed identities', () => {
    expect(diffAttributes(undefined, { a: '1' })).toEqual([
      { kind: 'user_added' },
      { kind: 'attribute_changed', path: 'a', to: '1' },
    ]);
    expect(diffAttributes({ a: '1' }, undefined)).toEqual([
      { kind: 'user_removed' },
    ]);
    expect(diffAttributes(undefined, undefined)).toEqual([]);
    expect(diffAttributes({ a: '1' }, { a: '1' })).toEqual([]);
  });

  it('patches attributes, null removing one', () => {
    expect(patchAttributes({ a: '1', b: '2' }, { a: null, c: '3' })).toEqual({
      b: '2',
      c: '3',
    });
    expect(patchAttributes(undefined, { a: '1' })).toEqual({ a: '1' });
  });
});
