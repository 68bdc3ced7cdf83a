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

import { Container } from '@backstage/ui';
import { ReactNode } from 'react';
import { SsfTabPath } from '../../tabs';
import { SecurityPostureBanner } from './SecurityPostureBanner';

// The page layout draws the header and tabs; the content brings its own
// page-level padding and width, and the permission warning above it.
const contained = (element: ReactNode) => (
  <Container py="4">
    <SecurityPostureBanner />
    {element}
  </Container>
);

/**
 * Loads the content of one tab. Each tab is its own chunk, so opening the
 * page does not load every tab's code.
 */
export const tabLoaders: Record<SsfTabPath, () => Promise<JSX.Element>> = {
  streams: () => import('../StreamsTab').then(m => contained(<m.StreamsTab />)),
  providers: () =>
    import('../ProvidersTab').then(m => contained(<m.ProvidersTab />)),
  'received-events': () =>
    import('../ReceivedEventsTab').then(m =>
      contained(<m.ReceivedEventsTab />),
    ),
  hooks: () => import('../HooksTab').then(m => contained(<m.HooksTab />)),
  transmitter: () =>
    import('../TransmitterTab').then(m => contained(<m.TransmitterTab />)),
};
