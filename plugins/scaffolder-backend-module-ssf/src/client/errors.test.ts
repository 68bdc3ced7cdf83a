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

import { errorMessageFrom } from './errors';

describe('errorMessageFrom', () => {
  it('reads Backstage error bodies', () => {
    expect(
      errorMessageFrom(
        JSON.stringify({ error: { name: 'InputError', message: 'bad url' } }),
      ),
    ).toBe('bad url');
  });

  it('reads the provider routes’ seed error bodies with their causes', () => {
    expect(
      errorMessageFrom(
        JSON.stringify({
          errorSummary: 'Api validation failed',
          errorCauses: [{ errorSummary: 'a' }, { errorSummary: 'b' }],
        }),
      ),
    ).toBe('Api validation failed: a; b');
  });

  it('falls back to plain text, or nothing', () => {
    expect(errorMessageFrom('Bad Gateway')).toBe('Bad Gateway');
    expect(errorMessageFrom('')).toBeUndefined();
    expect(errorMessageFrom('{"other":1}')).toBeUndefined();
  });
});
