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

import { defaultHooks } from './defaultHooks';
import { toHookDefinition } from './hookDefinition';
import { triggerMatches } from './matching';
import { renderTemplate, unknownPlaceholders } from './templates';

const PATH = 'metadata.annotations["ssf.io/lifecycle"]';
const change = (from?: string, to?: string) => ({
  kind: 'attribute_changed' as const,
  path: PATH,
  ...(from !== undefined && { from }),
  ...(to !== undefined && { to }),
});

describe('triggerMatches', () => {
  const [inactive, , , , reactivated, emailChanged] = defaultHooks({
    lifecycleAnnotation: 'ssf.io/lifecycle',
    subjectFormat: 'email',
  });

  it('matches the lifecycle state becoming suspended or terminated', () => {
    expect(
      triggerMatches(inactive.trigger, change('active', 'terminated')),
    ).toBe(true);
    expect(
      triggerMatches(inactive.trigger, change(undefined, 'suspended')),
    ).toBe(true);
    expect(
      triggerMatches(inactive.trigger, change('active', 'terminated-ish')),
    ).toBe(false);
    expect(
      triggerMatches(inactive.trigger, change('terminated', 'active')),
    ).toBe(false);
    expect(
      triggerMatches(inactive.trigger, {
        ...change('a', 'terminated'),
        path: 'spec.x',
      }),
    ).toBe(false);
    expect(triggerMatches(inactive.trigger, { kind: 'user_removed' })).toBe(
      false,
    );
  });

  it('matches re-activation only when leaving the inactive states', () => {
    expect(
      triggerMatches(reactivated.trigger, change('suspended', 'active')),
    ).toBe(true);
    // The annotation removed is a re-activation too ("" stands for absent).
    expect(
      triggerMatches(reactivated.trigger, change('terminated', undefined)),
    ).toBe(true);
    expect(
      triggerMatches(reactivated.trigger, change('suspended', 'terminated')),
    ).toBe(false);
    expect(
      triggerMatches(reactivated.trigger, change('active', 'on-leave')),
    ).toBe(false);
  });

  it('matches an email change but not an email appearing or going', () => {
    const email = (from?: string, to?: string) => ({
      ...change(from, to),
      path: 'spec.profile.email',
    });
    expect(
      triggerMatches(emailChanged.trigger, email('a@x.io', 'b@x.io')),
    ).toBe(true);
    expect(
      triggerMatches(emailChanged.trigger, email(undefined, 'b@x.io')),
    ).toBe(false);
    expect(
      triggerMatches(emailChanged.trigger, email('a@x.io', undefined)),
    ).toBe(false);
  });

  it('matches identity-level triggers by kind', () => {
    expect(
      triggerMatches({ on: 'user_removed' }, { kind: 'user_removed' }),
    ).toBe(true);
    expect(triggerMatches({ on: 'user_added' }, { kind: 'user_removed' })).toBe(
      false,
    );
  });
});

describe('payload templates', () => {
  const values = {
    from: 'active',
    to: 'terminated',
    path: PATH,
    identity: 'user:default/a',
    email: 'a@example.com',
    name: 'A',
  };

  it('fills placeholders in string values only, at any depth', () => {
    expect(
      renderTemplate(
        {
          reason_admin: { en: '{{ name }} ({{email}}) went {{from}} → {{to}}' },
          list: ['{{identity}}'],
          n: 1,
          keep: '{{unknown}}',
        },
        values,
      ),
    ).toEqual({
      reason_admin: { en: 'A (a@example.com) went active → terminated' },
      list: ['user:default/a'],
      n: 1,
      keep: '{{unknown}}',
    });
  });

  it('finds unknown placeholders', () => {
    expect(
      unknownPlaceholders({ a: ['{{to}} {{nope}}'], b: { c: '{{x}}' } }),
    ).toEqual(['nope', 'x']);
  });
});

describe('toHookDefinition', () => {
  it('makes every default hook valid as API input', () => {
    for (const hook of defaultHooks({
      lifecycleAnnotation: 'example.com/state',
      subjectFormat: 'iss_sub',
    })) {
      expect(
        toHookDefinition(
          {
            name: hook.name,
            description: hook.description,
            trigger: hook.trigger,
            event_type: hook.eventType,
            payload_template: hook.payloadTemplate,
            subject_format: hook.subjectFormat,
          },
          'email',
        ),
      ).toEqual(hook);
    }
  });
});
