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

export { AsyncList } from './AsyncList';
export type { AsyncLoad } from './AsyncList';
export { ConfirmDialog } from './ConfirmDialog';
export { CopyButton } from './CopyButton';
export { DetailFallback } from './DetailFallback';
export { DetailHeader } from './DetailHeader';
export { EmptyState } from './EmptyState';
export { EntityRefLink, catalogEntityRouteParams } from './EntityRefLink';
export { ErrorPanel } from './ErrorPanel';
export { eventTypeLabel } from './eventTypeLabel';
export { Field } from './Field';
export { FormDialog } from './FormDialog';
export { formatTime } from './formatTime';
export { HistoryChartCard } from './HistoryChartCard';
export { HourlyBarChart, niceStep } from './HourlyBarChart';
export type { ChartBucket, ChartFill, ChartSeries } from './HourlyBarChart';
export { HISTORY_HOURS, useHistory } from './useHistory';
export type { HistoryState } from './useHistory';
export { JsonBlock } from './JsonBlock';
export { decodeJws } from './jws';
export { JwsView } from './JwsView';
export { LoadingState } from './LoadingState';
export { PermissionButton } from './PermissionButton';
export { RowDetail } from './RowDetail';
export { SectionCard } from './SectionCard';
export { TabList } from './TabList';
export type { TabListMessages } from './TabList';
export { TabToolbar } from './TabToolbar';
export { useFormState } from './useFormState';
export {
  SIGNAL_DEBOUNCE_MS,
  useSignalsAvailable,
  useSsfSignal,
} from './useSsfSignal';
export type { SsfSignalChannel, SsfSignals } from './useSsfSignal';
export type { FormErrors, FormState } from './useFormState';
export { SsfLinksProvider, mountedRoute, useSsfLinks } from './SsfLinks';
export type { SsfLinks } from './SsfLinks';
