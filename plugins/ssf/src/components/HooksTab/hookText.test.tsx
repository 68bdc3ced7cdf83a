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

import { render } from '@testing-library/react';
import { LIFECYCLE_PATH } from '../../__testUtils__/fixtures';
import {
  TriggerText,
  describeChange,
  subjectFormatLabel,
  subjectLabel,
} from './hookText';

describe('TriggerText', () => {
  it.each([
    [
      { on: 'attribute_changed', path: LIFECYCLE_PATH, to: 'suspended' },
      `${LIFECYCLE_PATH} changes to suspended`,
    ],
    [
      { on: 'attribute_changed', path: 'spec.x', from: 'a', to: 'b|c' },
      'spec.x changes from a to b|c',
    ],
    [{ on: 'attribute_changed', path: 'spec.x' }, 'spec.x changes'],
    [{ on: 'user_added' }, 'User added to the catalog'],
    [{ on: 'user_removed' }, 'User removed from the catalog'],
  ] as const)('describes %j', (trigger, text) => {
    const { container } = render(<TriggerText trigger={trigger} />);
    expect(container).toHaveTextContent(text);
  });
});

describe('describeChange', () => {
  it('names absent values instead of showing nothing', () => {
    expect(
      describeChange({ kind: 'attribute_changed', path: 'p', to: 'x' }),
    ).toEqual({ title: 'p', description: '(no value) → x' });
    expect(describeChange({ kind: 'user_added' })).toEqual({
      title: 'User added',
    });
  });
});

describe('subjects', () => {
  it('shows a subject and its format in words', () => {
    expect(subjectLabel({ format: 'email', email: 'a@b.c' })).toBe('a@b.c');
    expect(
      subjectLabel({ format: 'iss_sub', iss: 'https://i', sub: 's' }),
    ).toBe('s at https://i');
    expect(subjectLabel({ format: 'opaque', id: 'x1' })).toBe('x1');
    expect(subjectFormatLabel('iss_sub')).toBe('Issuer and subject');
    expect(subjectFormatLabel('did')).toBe('did');
  });
});
