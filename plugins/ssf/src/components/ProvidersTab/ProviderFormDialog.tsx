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

import { useApi } from '@backstage/core-plugin-api';
import { PasswordField, Radio, RadioGroup, TextField } from '@backstage/ui';
import { SecurityEventsProvider } from '@shared-signals/plugin-ssf-common';
import { ssfApiRef } from '../../api';
import { ErrorPanel, FormDialog, useFormState } from '../common';
import { CatalogRefFields } from '../common/CatalogRefFields';
import { useAllowInsecureUrls } from '../StreamsTab/useAllowInsecureUrls';
import {
  ProviderFormValues,
  initialProviderFormValues,
  toProviderRequest,
  validateProviderForm,
} from './providerForm';

/** Creates a provider, or replaces `provider` when given. */
export function ProviderFormDialog(props: {
  provider?: SecurityEventsProvider;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { provider, onClose, onSaved } = props;
  const ssfApi = useApi(ssfApiRef);
  const allowInsecureUrls = useAllowInsecureUrls();
  const form = useFormState({
    initial: () => initialProviderFormValues(provider),
    validate: values =>
      validateProviderForm(values, allowInsecureUrls, provider),
    onSubmit: async values => {
      const request = toProviderRequest(values, provider);
      if (provider) {
        await ssfApi.replaceProvider(provider.id, request);
      } else {
        await ssfApi.createProvider(request);
      }
      onSaved();
      onClose();
    },
  });
  const { values, set, bind } = form;

  // `form` is no field's name: it is shown on its own, below the fields.
  const { form: formError, ...fieldErrors } = form.errors;
  return (
    <FormDialog
      title={provider ? `Edit ${provider.name}` : 'Add provider'}
      label={provider ? 'Edit provider' : 'Add provider'}
      width={600}
      form={{ ...form, errors: fieldErrors }}
      submitLabel={provider ? 'Save' : 'Add'}
      submitErrorTitle="The provider could not be saved"
      onClose={onClose}
    >
      <TextField name="name" label="Name" isRequired {...bind('name')} />
      <RadioGroup
        name="source"
        label="Find the transmitter's keys"
        value={values.source}
        onChange={v => set('source', v as ProviderFormValues['source'])}
      >
        <Radio value="wellKnown">From its well-known URL</Radio>
        <Radio value="direct">From an issuer and JWKS URL</Radio>
      </RadioGroup>
      {values.source === 'wellKnown' ? (
        <TextField
          name="wellKnownUrl"
          label="Well-known URL"
          type="url"
          isRequired
          placeholder="https://idp.example.com/.well-known/ssf-configuration"
          {...bind('wellKnownUrl')}
        />
      ) : (
        <>
          <TextField
            name="issuer"
            label="Issuer"
            isRequired
            placeholder="https://idp.example.com"
            {...bind('issuer')}
          />
          <TextField
            name="jwksUrl"
            label="JWKS URL"
            type="url"
            isRequired
            placeholder="https://idp.example.com/jwks"
            {...bind('jwksUrl')}
          />
        </>
      )}
      <RadioGroup
        name="method"
        label="Delivery"
        value={values.method}
        onChange={v => set('method', v as ProviderFormValues['method'])}
      >
        <Radio value="push">Push: the transmitter sends SETs here</Radio>
        <Radio value="poll">Poll: this portal fetches SETs</Radio>
      </RadioGroup>
      {values.method === 'poll' && (
        <TextField
          name="pollEndpointUrl"
          label="Poll endpoint URL"
          type="url"
          isRequired
          {...bind('pollEndpointUrl')}
        />
      )}
      <PasswordField
        name="authorizationSecret"
        label="Bearer secret"
        description={
          provider?.has_authorization_secret
            ? 'A secret is set and never shown. Leave empty to keep it.'
            : 'Optional: pushed SETs must carry "Authorization: Bearer <secret>" (16+ printable characters). Never shown once saved.'
        }
        {...bind('authorizationSecret')}
      />
      <CatalogRefFields bind={bind} what="provider" />
      {formError && (
        <ErrorPanel
          title="The provider is not valid"
          error={new Error(formError)}
        />
      )}
    </FormDialog>
  );
}
