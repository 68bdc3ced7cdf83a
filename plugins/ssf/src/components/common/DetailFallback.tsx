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

import { Button } from '@backstage/ui';
import { AsyncLoad } from './AsyncList';
import { EmptyState } from './EmptyState';
import { ErrorPanel } from './ErrorPanel';
import { LoadingState } from './LoadingState';

/**
 * What a detail page shows while it has no item to show: the list's load
 * error (with retry), a placeholder while the list loads, or, once it has
 * loaded without the item the URL names, that it was not found, with a way
 * back to the list. Shared by the detail routes so that a stale link or
 * bookmark reads the same on every tab.
 */
export function DetailFallback(props: {
  load: AsyncLoad;
  errorTitle: string;
  loadingLabel: string;
  notFoundTitle: string;
  notFoundDescription: string;
  backLabel: string;
  onBack: () => void;
}) {
  const { load } = props;
  if (load.error) {
    return (
      <ErrorPanel
        title={props.errorTitle}
        error={load.error}
        onRetry={load.retry}
      />
    );
  }
  if (load.loading) {
    return <LoadingState label={props.loadingLabel} />;
  }
  return (
    <EmptyState
      title={props.notFoundTitle}
      description={props.notFoundDescription}
      action={
        <Button variant="secondary" onPress={props.onBack}>
          {props.backLabel}
        </Button>
      }
    />
  );
}
