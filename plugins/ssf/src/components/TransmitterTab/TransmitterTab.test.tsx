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

import { screen } from '@testing-library/react';
import { renderTab } from '../../__testUtils__/render';
import { SsfRequestError } from '../../api/errors';
import { BASE_URL, metadata, mockSsfApi } from '../../__testUtils__/fixtures';
import { TransmitterTab } from './TransmitterTab';

const jwks = { keys: [{ kid: 'key-1', kty: 'RSA', alg: 'RS256', use: 'sig' }] };

function render(api = mockSsfApi()) {
  return renderTab(<TransmitterTab />, { api });
}

describe('TransmitterTab', () => {
  it('shows the metadata, the keys and how a receiver connects', async () => {
    await render(
      mockSsfApi({
        getTransmitterMetadata: async () => metadata,
        getJwks: async () => jwks,
      }),
    );
    expect(await screen.findByText('Transmitter metadata')).toBeInTheDocument();
    expect(screen.getAllByText(BASE_URL).length).toBeGreaterThan(0);
    expect(
      screen.getByText('Push (RFC 8935), Poll (RFC 8936)'),
    ).toBeInTheDocument();
    expect(await screen.findByText('key-1')).toBeInTheDocument();
    expect(screen.getByText('RS256')).toBeInTheDocument();
    expect(
      screen.getByText(
        'http://localhost:7007/.well-known/ssf-configuration/api/ssf',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(`${BASE_URL}/.well-known/ssf-configuration`),
    ).toBeInTheDocument();
    expect(
      screen.getByLabelText('externalAccess configuration'),
    ).toHaveTextContent('accessRestrictions');
    expect(
      screen.getByRole('button', { name: 'Copy: configuration URL' }),
    ).toBeInTheDocument();
  });

  it('shows a loading state while the metadata loads', async () => {
    await render(
      mockSsfApi({
        getTransmitterMetadata: () => new Promise(() => {}),
        getJwks: () => new Promise(() => {}),
      }),
    );
    expect(
      screen.getByText('Loading transmitter metadata…'),
    ).toBeInTheDocument();
  });

  it('says in words when the backend fails', async () => {
    await render(
      mockSsfApi({
        getTransmitterMetadata: async () => {
          throw new SsfRequestError(
            'The Shared Signals backend failed (HTTP 503)',
            503,
          );
        },
        getJwks: async () => ({ keys: [] }),
      }),
    );
    expect(
      await screen.findByText('Could not load the transmitter metadata'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('The Shared Signals backend failed (HTTP 503)'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
    expect(
      await screen.findByText(/No keys are published yet/),
    ).toBeInTheDocument();
  });
});
