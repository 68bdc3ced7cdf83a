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

import { provider } from '../../__testUtils__/fixtures';
import {
  initialProviderFormValues,
  toProviderRequest,
  validateProviderForm,
} from './providerForm';

describe('the owner and consumer of a provider', () => {
  const values = {
    ...initialProviderFormValues(),
    name: 'Okta',
    wellKnownUrl: 'https://okta.example.com/.well-known/ssf-configuration',
  };

  it('sends those given when creating, and checks them as catalog refs', () => {
    expect(toProviderRequest(values)).not.toHaveProperty('owner');
    expect(toProviderRequest(values)).not.toHaveProperty('consumer');
    expect(
      toProviderRequest({ ...values, owner: 'security', consumer: 'siem' }),
    ).toMatchObject({ owner: 'security', consumer: 'siem' });
    const errors = validateProviderForm(
      { ...values, owner: 'a b', consumer: 'component:' },
      false,
    );
    expect(errors.owner).toContain('group:default/example');
    expect(errors.consumer).toContain('component:default/example');
  });

  it('on replace, leaves out what is unchanged and sends null for what was emptied', () => {
    const okta = provider({
      owner: 'group:default/security',
      consumer: 'component:default/siem',
    });
    const edited = initialProviderFormValues(okta);
    expect(edited.owner).toBe('group:default/security');
    expect(validateProviderForm(edited, false, okta)).toEqual({});
    const request = toProviderRequest(edited, okta);
    expect(request).not.toHaveProperty('owner');
    expect(request).not.toHaveProperty('consumer');
    expect(
      toProviderRequest({ ...edited, owner: '', consumer: 'siem2' }, okta),
    ).toMatchObject({ owner: null, consumer: 'siem2' });
  });
});
