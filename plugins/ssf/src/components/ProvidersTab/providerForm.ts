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

import {
  CreateSecurityEventsProviderRequest,
  DELIVERY_METHODS,
  SecurityEventsProvider,
  createSecurityEventsProviderRequestSchema,
} from '@shared-signals/plugin-ssf-common';
import { catalogRefError, catalogRefUpdate } from '../common/catalogRefs';

/** What the provider form edits. */
export interface ProviderFormValues {
  name: string;
  /** How the provider's keys are found: its metadata, or given directly. */
  source: 'wellKnown' | 'direct';
  wellKnownUrl: string;
  issuer: string;
  jwksUrl: string;
  method: 'push' | 'poll';
  pollEndpointUrl: string;
  /** Write-only; empty keeps the current secret when editing. */
  authorizationSecret: string;
  /** The catalog entity that owns the provider; empty for none. */
  owner: string;
  /** The catalog component that consumes its SETs; empty for none. */
  consumer: string;
}

/** Field name (or `form`) to error message. */
export type ProviderFormErrors = Partial<
  Record<keyof ProviderFormValues | 'form', string>
>;

/** Empty values, or those of the provider being edited. */
export function initialProviderFormValues(
  provider?: SecurityEventsProvider,
): ProviderFormValues {
  const wellKnownUrl = provider?.settings.well_known_url;
  return {
    name: provider?.name ?? '',
    source: provider && !wellKnownUrl ? 'direct' : 'wellKnown',
    wellKnownUrl: wellKnownUrl ?? '',
    issuer: wellKnownUrl ? '' : provider?.settings.issuer ?? '',
    jwksUrl: wellKnownUrl ? '' : provider?.settings.jwks_url ?? '',
    method:
      provider?.delivery?.method === DELIVERY_METHODS.poll ? 'poll' : 'push',
    pollEndpointUrl: provider?.delivery?.endpoint_url ?? '',
    authorizationSecret: '',
    owner: provider?.owner ?? '',
    consumer: provider?.consumer ?? '',
  };
}

function urlError(
  value: string,
  what: string,
  allowInsecureUrls: boolean,
): string | undefined {
  if (!value.trim()) {
    return `Enter the ${what}`;
  }
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return `The ${what} must be an absolute URL`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && allowInsecureUrls) return undefined;
  return `The ${what} must use https`;
}

/**
 * The create or replace body for the form's values. Replacing `provider`,
 * an unchanged `owner` or `consumer` is left out (the backend keeps it) and
 * an emptied one is sent as `null` (it removes it).
 */
export function toProviderRequest(
  values: ProviderFormValues,
  provider?: SecurityEventsProvider,
): CreateSecurityEventsProviderRequest {
  const owner = catalogRefUpdate('owner', values.owner, provider?.owner);
  const consumer = catalogRefUpdate(
    'consumer',
    values.consumer,
    provider?.consumer,
  );
  return {
    name: values.name.trim(),
    type: 'SSF',
    settings:
      values.source === 'wellKnown'
        ? { well_known_url: values.wellKnownUrl.trim() }
        : { issuer: values.issuer.trim(), jwks_url: values.jwksUrl.trim() },
    delivery:
      values.method === 'poll'
        ? {
            method: DELIVERY_METHODS.poll,
            endpoint_url: values.pollEndpointUrl.trim(),
          }
        : { method: DELIVERY_METHODS.push },
    ...(values.authorizationSecret && {
      authorization_secret: values.authorizationSecret,
    }),
    ...(owner !== undefined && { owner }),
    ...(consumer !== undefined && { consumer }),
  };
}

const FIELD_BY_PATH: Record<string, keyof ProviderFormErrors> = {
  name: 'name',
  'settings.well_known_url': 'wellKnownUrl',
  'settings.issuer': 'issuer',
  'settings.jwks_url': 'jwksUrl',
  'delivery.endpoint_url': 'pollEndpointUrl',
  authorization_secret: 'authorizationSecret',
  owner: 'owner',
  consumer: 'consumer',
};

/** Checks the form as the backend will; an empty object means valid. */
export function validateProviderForm(
  values: ProviderFormValues,
  allowInsecureUrls: boolean,
  provider?: SecurityEventsProvider,
): ProviderFormErrors {
  const errors: ProviderFormErrors = {};
  if (!values.name.trim()) {
    errors.name = 'Enter a name';
  }
  if (values.source === 'wellKnown') {
    errors.wellKnownUrl = urlError(
      values.wellKnownUrl,
      'well-known URL',
      allowInsecureUrls,
    );
  } else {
    errors.issuer = values.issuer.trim() ? undefined : 'Enter the issuer';
    errors.jwksUrl = urlError(values.jwksUrl, 'JWKS URL', allowInsecureUrls);
  }
  if (values.method === 'poll') {
    errors.pollEndpointUrl = urlError(
      values.pollEndpointUrl,
      'poll endpoint URL',
      allowInsecureUrls,
    );
  }
  errors.owner = catalogRefError('owner', values.owner);
  errors.consumer = catalogRefError('consumer', values.consumer);
  const result = createSecurityEventsProviderRequestSchema.safeParse(
    toProviderRequest(values, provider),
  );
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.filter(p => typeof p === 'string').join('.');
      const field = FIELD_BY_PATH[path] ?? 'form';
      errors[field] ??= issue.message;
    }
  }
  return Object.fromEntries(
    Object.entries(errors).filter(([, v]) => v !== undefined),
  ) as ProviderFormErrors;
}
