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

import { catalogEntityRouteParams } from './EntityRefLink';
import { catalogRefError, catalogRefUpdate } from './catalogRefs';

describe('catalogRefError', () => {
  it('takes nothing, or a catalog entity ref with or without kind and namespace', () => {
    expect(catalogRefError('owner', '  ')).toBeUndefined();
    expect(catalogRefError('owner', 'team-a')).toBeUndefined();
    expect(catalogRefError('owner', 'group:default/team-a')).toBeUndefined();
    expect(catalogRefError('consumer', 'other/siem')).toBeUndefined();
  });

  it('says which kind a ref without one gets, for each member', () => {
    expect(catalogRefError('owner', 'group:')).toBe(
      'Enter a catalog entity ref, such as group:default/example or example (kind group and namespace default when left out)',
    );
    expect(catalogRefError('consumer', 'a b')).toContain(
      'component:default/example',
    );
    expect(catalogRefError('owner', 'a'.repeat(513))).toBe(
      'The entity ref must be at most 512 characters',
    );
  });
});

describe('catalogRefUpdate', () => {
  it('leaves out what is unchanged or was never set, clears what was emptied', () => {
    expect(catalogRefUpdate('owner', '', undefined)).toBeUndefined();
    expect(catalogRefUpdate('owner', ' ', 'group:default/a')).toBeNull();
    expect(
      catalogRefUpdate('owner', 'group:default/a', 'group:default/a'),
    ).toBeUndefined();
    // Another spelling of the held entity is no change either.
    expect(catalogRefUpdate('owner', 'a', 'group:default/a')).toBeUndefined();
    expect(catalogRefUpdate('consumer', ' siem ', undefined)).toBe('siem');
    expect(catalogRefUpdate('owner', 'b', 'group:default/a')).toBe('b');
  });
});

describe('catalogEntityRouteParams', () => {
  it("gives the catalog's entity route parameters of a normalised ref", () => {
    expect(catalogEntityRouteParams('group:default/team-a')).toEqual({
      kind: 'group',
      namespace: 'default',
      name: 'team-a',
    });
    // Kind and namespace in lower case, as the catalog links; each encoded.
    expect(catalogEntityRouteParams('Component:Prod/Siem #1')).toEqual({
      kind: 'component',
      namespace: 'prod',
      name: 'Siem%20%231',
    });
    expect(catalogEntityRouteParams('team-a')).toBeUndefined();
    expect(catalogEntityRouteParams('group:team-a')).toBeUndefined();
  });
});
