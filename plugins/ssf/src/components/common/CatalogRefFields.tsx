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

import { TextField } from '@backstage/ui';

/** The form fields of the catalog refs, by the names the forms give them. */
interface CatalogRefValues {
  owner: string;
  consumer: string;
}

/**
 * The optional "Owner" and "Consuming component" fields of the stream and
 * provider forms: catalog entity refs, with the kinds the backend assumes
 * when a ref names none. Their errors come through the form, by name.
 */
export function CatalogRefFields(props: {
  bind: <K extends keyof CatalogRefValues>(
    key: K,
  ) => { value: string; onChange: (value: string) => void };
  /** What the refs belong to, e.g. "stream", for the descriptions. */
  what: string;
}) {
  const { bind, what } = props;
  return (
    <>
      <TextField
        name="owner"
        label="Owner"
        description={`Optional: the catalog entity that owns the ${what}, such as group:default/team-a (a group when no kind is given). Leave empty for none.`}
        placeholder="group:default/team-a"
        {...bind('owner')}
      />
      <TextField
        name="consumer"
        label="Consuming component"
        description={`Optional: the catalog component that consumes the ${what}'s events, such as component:default/siem (a component when no kind is given). Leave empty for none.`}
        placeholder="component:default/siem"
        {...bind('consumer')}
      />
    </>
  );
}
