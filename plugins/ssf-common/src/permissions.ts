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

import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Lets a portal user see every transmitter stream.
 *
 * @public
 */
export const ssfStreamReadPermission = createPermission({
  name: 'ssf.stream.read',
  attributes: { action: 'read' },
});

/**
 * Lets a portal user create, change, verify and delete every transmitter stream.
 *
 * @public
 */
export const ssfStreamManagePermission = createPermission({
  name: 'ssf.stream.manage',
  attributes: { action: 'update' },
});

/**
 * Lets a portal user see the receiver's Security Events Providers and the events they sent.
 *
 * @public
 */
export const ssfProviderReadPermission = createPermission({
  name: 'ssf.provider.read',
  attributes: { action: 'read' },
});

/**
 * Lets a portal user create, change, activate, deactivate and delete Security Events Providers.
 *
 * @public
 */
export const ssfProviderManagePermission = createPermission({
  name: 'ssf.provider.manage',
  attributes: { action: 'update' },
});

/**
 * Lets a portal user manage identity lifecycle hooks and submit identity changes.
 *
 * @public
 */
export const ssfHookManagePermission = createPermission({
  name: 'ssf.hook.manage',
  attributes: { action: 'update' },
});

/**
 * Every permission the SSF plugins define.
 *
 * @public
 */
export const ssfPermissions = [
  ssfStreamReadPermission,
  ssfStreamManagePermission,
  ssfProviderReadPermission,
  ssfProviderManagePermission,
  ssfHookManagePermission,
];

/**
 * Who holds every `ssf.*` permission when `ssf.permissions.adminGroups` is
 * not configured.
 *
 * @public
 */
export const DEFAULT_SSF_ADMIN_GROUPS: readonly string[] = Object.freeze([
  'group:default/ssf-admins',
]);

/**
 * The entity refs of `ssf.permissions.adminGroups` (or `readerGroups`) as
 * they are compared: in lower case, as the catalog compares entity refs.
 *
 * @public
 */
export function normaliseSsfGroups(
  refs: readonly string[] | undefined,
  fallback: readonly string[] = [],
): string[] {
  return (refs ?? fallback).map(r => r.toLowerCase());
}
