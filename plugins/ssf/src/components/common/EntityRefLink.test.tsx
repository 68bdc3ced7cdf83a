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

import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { EntityRefLink } from './EntityRefLink';

function refs() {
  return (
    <ul>
      <li>
        <EntityRefLink entityRef="group:default/team-a" />
      </li>
      <li>
        <EntityRefLink entityRef="Component:Prod/siem" />
      </li>
      <li>
        <EntityRefLink entityRef="user:default/jane doe" />
      </li>
      <li>
        <EntityRefLink entityRef="team-b" />
      </li>
      <li>
        <EntityRefLink />
      </li>
    </ul>
  );
}

describe('EntityRefLink', () => {
  it('links to the entity page wherever the app mounts it', async () => {
    // As in an app whose catalog is at the root, not at /catalog.
    renderInTestApp(refs(), {
      mountedRoutes: { '/:namespace/:kind/:name': entityRouteRef },
    });
    expect(
      await screen.findByRole('link', { name: 'group:default/team-a' }),
    ).toHaveAttribute('href', '/default/group/team-a');
    expect(
      screen.getByRole('link', { name: 'Component:Prod/siem' }),
    ).toHaveAttribute('href', '/prod/component/siem');
    // Encoded once: the route function does not encode the parameters.
    expect(
      screen.getByRole('link', { name: 'user:default/jane doe' }),
    ).toHaveAttribute('href', '/default/user/jane%20doe');
    // Not a normalised ref: nothing to link to.
    expect(screen.getByText('team-b')).toBeInTheDocument();
    expect(screen.getAllByRole('link')).toHaveLength(3);
    expect(screen.getByText('—')).toBeInTheDocument();
  });

  it('shows refs as text in an app without the catalog', async () => {
    renderInTestApp(refs());
    expect(await screen.findByText('group:default/team-a')).toBeInTheDocument();
    expect(screen.queryAllByRole('link')).toEqual([]);
  });
});
