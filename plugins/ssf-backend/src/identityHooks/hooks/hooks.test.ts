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

import { ConfigReader } from '@backstage/config';
import { SESSION_REVOKED } from '../../__testUtils__/specUris';
import { readIdentityHooksConfig } from '../config';
import { anyValueBut, defaultHooks } from './defaultHooks';
import { toHookDefinition } from './hookDefinition';
import {
  fullMatch,
  MAX_MATCHED_VALUE_LENGTH,
  patternProblem,
  triggerMatches,
} from './matching';
import {
  renderTemplate,
  templateProblem,
  unknownPlaceholders,
} from './templates';

// A template nested `depth` objects deep (the template itself is level 1).
function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { en: 'bottom' };
  for (let i = 1; i < depth; i++) value = { a: value };
  return value;
}

const PATH = 'metadata.annotations["ssf.io/lifecycle"]';
const change = (from?: string, to?: string) => ({
  kind: 'attribute_changed' as const,
  path: PATH,
  ...(from !== undefined && { from }),
  ...(to !== undefined && { to }),
});

type Case = [change: Parameters<typeof triggerMatches>[1], matches: boolean];

/** The cases' changes, each with whether `trigger` matched it. */
function judged(trigger: Parameters<typeof triggerMatches>[0], cases: Case[]) {
  return cases.map(([c]) => [c, triggerMatches(trigger, c)]);
}

describe('triggerMatches', () => {
  const [inactive, , , , reactivated, emailChanged] = defaultHooks({
    lifecycleAnnotation: 'ssf.io/lifecycle',
    subjectFormat: 'email',
  });

  it('matches the lifecycle state becoming suspended or terminated', () => {
    const cases: Case[] = [
      [change('active', 'terminated'), true],
      [change(undefined, 'suspended'), true],
      [change('active', 'terminated-ish'), false],
      [change('terminated', 'active'), false],
      [{ ...change('a', 'terminated'), path: 'spec.x' }, false],
      [{ kind: 'user_removed' }, false],
    ];
    expect(judged(inactive.trigger, cases)).toEqual(cases);
  });

  it('matches re-activation only when leaving the inactive states', () => {
    const cases: Case[] = [
      [change('suspended', 'active'), true],
      // The annotation removed is a re-activation too ("" stands for absent).
      [change('terminated', undefined), true],
      [change('suspended', 'terminated'), false],
      [change('active', 'on-leave'), false],
    ];
    expect(judged(reactivated.trigger, cases)).toEqual(cases);
  });

  it('re-activates for any other value, without lookahead', () => {
    const to =
      reactivated.trigger.on === 'attribute_changed' && reactivated.trigger.to;
    expect(patternProblem(to as string)).toBeUndefined();
    for (const value of [
      '',
      'active',
      'suspende',
      'suspendedx',
      's',
      'Terminated',
      'terminated\n',
      'terminatedterminated',
    ]) {
      expect([value, fullMatch(to as string, value)]).toEqual([value, true]);
    }
    for (const value of ['suspended', 'terminated']) {
      expect([value, fullMatch(to as string, value)]).toEqual([value, false]);
    }
    // The helper handles words that are prefixes of one another.
    const but = anyValueBut(['ab', 'abc', 'b']);
    expect(
      ['', 'a', 'abcd', 'ba', 'c', 'abd'].every(v => fullMatch(but, v)),
    ).toBe(true);
    expect(['ab', 'abc', 'b'].some(v => fullMatch(but, v))).toBe(false);
  });

  it('matches an email change but not an email appearing or going', () => {
    const email = (from?: string, to?: string) => ({
      ...change(from, to),
      path: 'spec.profile.email',
    });
    const cases: Case[] = [
      [email('a@x.io', 'b@x.io'), true],
      [email(undefined, 'b@x.io'), false],
      [email('a@x.io', undefined), false],
    ];
    expect(judged(emailChanged.trigger, cases)).toEqual(cases);
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

describe('hook patterns', () => {
  it('matches catastrophic patterns in linear time (RE2), so a match completes', () => {
    // With a backtracking engine each of these takes time exponential in the
    // value's length: (a|a)*b on 30 a's is minutes, on 4,095 longer than the
    // universe's age. Completing here shows the engine is not backtracking;
    // no wall-clock time is asserted.
    const long = 'a'.repeat(MAX_MATCHED_VALUE_LENGTH - 1);
    for (const pattern of [
      '(a|a)*b',
      '(a+)+b',
      '(.*a){20}b',
      '([a-zA-Z]+)*!b',
      '(a|aa)+b',
    ]) {
      expect([pattern, fullMatch(pattern, `${long}!`)]).toEqual([
        pattern,
        false,
      ]);
    }
    // It does match, in full: the same pattern matches when it should.
    expect(fullMatch('(a|a)*b', `${long}b`)).toBe(true);
    expect(fullMatch('(a|a)*b', `x${long}b`)).toBe(false);
    expect(fullMatch('a', 'ab')).toBe(false);
  });

  it('matches no value longer than the cap, whatever the pattern', () => {
    const atCap = 'a'.repeat(MAX_MATCHED_VALUE_LENGTH);
    expect(fullMatch('a*', atCap)).toBe(true);
    expect(fullMatch('a*', `${atCap}a`)).toBe(false);
    expect(fullMatch('.*', 'a'.repeat(100_000))).toBe(false);
  });

  it('keeps Unicode and full-match semantics', () => {
    expect(fullMatch('.', '💥')).toBe(true);
    expect(fullMatch('\\pL+', 'Zoë')).toBe(true);
    expect(fullMatch('(?i)SUSPENDED', 'suspended')).toBe(true);
    expect(fullMatch('.', '\n')).toBe(false);
    expect(fullMatch('off|', '')).toBe(true);
  });

  it.each([
    [
      'a backreference',
      '(a)\\1',
      /invalid escape sequence: `\\1`.*Backreferences/,
    ],
    ['a lookahead', '(?!x).*', /unsupported Perl syntax: `\(\?!`/],
    ['a lookbehind', '(?<=a)b', /RE2 syntax/],
    ['an unclosed group', '(', /missing closing \)/],
    ['an unbalanced group', 'a)|(b', /unexpected \)/],
    ['a repeat count over 1000', 'a{2000}', /invalid repeat count/],
    [
      'a program over the size cap',
      '.{1000}',
      /compiles to 1002 RE2 instructions and at most 1000/,
    ],
    [
      'a program far over the size cap',
      'a{1,1000}'.repeat(100),
      /compiles to about \d+ RE2 instructions/,
    ],
    [
      'a pattern over 1000 characters',
      'a'.repeat(1001),
      /1001 characters long; at most 1000/,
    ],
  ])('refuses %s, naming why', (_label, pattern, message) => {
    expect(patternProblem(pattern)).toMatch(message);
    // A refused pattern (one stored before patterns were checked) never
    // matches, and never throws while matching.
    expect(fullMatch(pattern, 'a')).toBe(false);
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

  it('renders and checks templates of any depth without recursion', () => {
    // Far deeper than any call stack: neither may throw a RangeError.
    const deep = nested(50_000);
    expect(templateProblem(deep)).toMatch(/more than 32 levels deep/);
    expect(unknownPlaceholders(deep)).toEqual([]);
    let rendered = renderTemplate(deep, values) as Record<string, unknown>;
    for (let i = 1; i < 50_000; i++) rendered = rendered.a as never;
    expect(rendered).toEqual({ en: 'bottom' });
    expect(templateProblem(nested(32))).toBeUndefined();
    expect(templateProblem(nested(33))).toMatch(/more than 32 levels deep/);
    let array: unknown = '{{to}}';
    for (let i = 0; i < 40; i++) array = [array];
    expect(templateProblem({ a: array })).toMatch(/more than 32 levels/);
  });

  it('limits the size of templates', () => {
    const wide = Object.fromEntries(
      Array.from({ length: 1001 }, (_, i) => [`k${i}`, 'v']),
    );
    expect(templateProblem(wide)).toMatch(/more than 1000 members/);
    expect(templateProblem({ a: '{{to}}'.repeat(65) })).toMatch(
      /more than 64 placeholders/,
    );
    expect(templateProblem({ a: 'x'.repeat(17_000) })).toMatch(/at most 16384/);
  });

  it('keeps a __proto__ member as data, not as the prototype', () => {
    const template = JSON.parse('{"__proto__": {"polluted": "{{to}}"}}');
    const rendered = renderTemplate(template, values);
    expect(Object.getPrototypeOf(rendered)).toBe(Object.prototype);
    expect(
      Object.getOwnPropertyDescriptor(rendered, '__proto__')?.value,
    ).toEqual({ polluted: 'terminated' });
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

describe('config hooks', () => {
  const read = (hook: object) =>
    readIdentityHooksConfig(
      new ConfigReader({
        ssf: {
          lifecycle: {
            hooks: [
              {
                name: 'fine',
                trigger: { on: 'user_added' },
                eventType: SESSION_REVOKED,
              },
              { eventType: SESSION_REVOKED, ...hook },
            ],
          },
        },
      }),
      'https://portal.example.com',
    );

  it('refuses at startup a pattern the linear-time engine cannot take, naming the hook', () => {
    expect(() =>
      read({
        name: 'backref',
        trigger: {
          on: 'attribute_changed',
          path: 'spec.profile.email',
          to: '(a)\\1',
        },
      }),
    ).toThrow(
      /^ssf\.lifecycle\.hooks\[1\] \(backref\): Invalid hook: trigger\.to: .*invalid escape sequence/,
    );
    expect(() =>
      read({
        name: 'lookahead',
        trigger: {
          on: 'attribute_changed',
          path: 'spec.profile.email',
          from: '(?!x).*',
        },
      }),
    ).toThrow(/\(lookahead\): Invalid hook: trigger\.from: .*RE2/);
  });

  it('refuses at startup a payload template nested too deep', () => {
    expect(() =>
      read({
        name: 'deep',
        trigger: { on: 'user_added' },
        payloadTemplate: nested(40),
      }),
    ).toThrow(/\(deep\): Invalid hook: payload_template nests .* 32 levels/);
  });

  it('takes valid config hooks', () => {
    expect(
      read({
        name: 'ok',
        trigger: { on: 'attribute_changed', path: 'a', to: '(a|a)*b' },
      }).hooks.map(h => h.name),
    ).toContain('ok');
  });
});
