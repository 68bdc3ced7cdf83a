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
  TranslationFunction,
  createTranslationRef,
} from '@backstage/frontend-plugin-api';

/**
 * The English messages, which are the defaults. Kept apart from the ref so
 * that places which need a plain string before any React renders (the new
 * frontend system's page and tab titles) read the same text.
 */
export const ssfMessages = {
  page: {
    title: 'Shared Signals',
  },
  tabs: {
    streams: 'Streams',
    providers: 'Providers',
    receivedEvents: 'Received events',
    hooks: 'Lifecycle hooks',
    transmitter: 'Transmitter',
  },
  common: {
    retry: 'Retry',
    refresh: 'Refresh',
    cancel: 'Cancel',
    close: 'Close',
    delete: 'Delete',
    edit: 'Edit',
    actionFailed: '{{action}} failed',
  },
  posture: {
    title: 'Shared Signals administration is not restricted',
  },
  streams: {
    intro:
      'Every stream receivers have with this transmitter. Select a stream to see its SETs, verify it or change it.',
    create: 'Create stream',
    loading: 'Loading streams…',
    loadError: 'Could not load the streams',
    emptyTitle: 'No streams yet',
    emptyDescription:
      "A receiver creates its stream itself with POST /streams and its access token (see the Transmitter tab for how it connects), or you can create one for a receiver's client ID here.",
    columns: {
      client: 'Client ID',
      description: 'Description',
      delivery: 'Delivery',
      profile: 'Receiver profile',
      status: 'Status',
      events: 'Events delivered',
      sets: 'Pending / delivered / dead',
      lastError: 'Last error',
    },
    eventTypeCount: '{{n}} type(s)',
    heldWhilePaused: '{{n}} held while paused',
  },
  streamDetail: {
    back: 'All streams',
    loading: 'Loading the stream…',
    notFoundTitle: 'This stream no longer exists',
    notFoundDescription:
      'Stream {{streamId}} was deleted or is not visible to you.',
    actions: 'Stream actions',
    edit: 'Edit',
    changeStatus: 'Enable / pause / disable',
    verify: 'Verify',
    verifyUnavailable: 'Only an enabled stream can be verified.',
    redeliver: 'Redeliver dead-lettered ({{n}})',
    redeliverUnavailable: 'There are no dead-lettered SETs to redeliver.',
    delete: 'Delete',
    saved: 'The stream was saved.',
    statusChanged: 'The stream status was changed.',
    verificationRequested:
      'Verification requested. Its result appears under Verification once the receiver has the event.',
    redelivered: '{{n}} SET(s) queued for redelivery.',
    redeliverTitle: 'Redeliver dead-lettered SETs',
    redeliverDescription:
      'Queue the {{n}} dead-lettered SET(s) of this stream for delivery again?',
    redeliverConfirm: 'Redeliver',
    deleteTitle: 'Delete stream',
    deleteDescription:
      'Delete the stream of {{clientId}} ({{streamId}})? The receiver stops getting events, and undelivered SETs are discarded. This cannot be undone.',
    configuration: 'Configuration',
  },
  providers: {
    intro: 'Transmitters whose Security Event Tokens this portal accepts.',
    add: 'Add provider',
    loading: 'Loading providers…',
    loadError: 'Could not load the providers',
    changeError: 'The provider could not be changed',
    emptyTitle: 'No providers yet',
    emptyDescription:
      'Add a provider for each transmitter (identity provider, SaaS application) that should send security events to this portal, with its well-known URL or its issuer and JWKS URL.',
    columns: {
      name: 'Name',
      issuer: 'Issuer',
      status: 'Status',
      remoteStream: 'Remote stream',
      actions: 'Actions',
    },
    viaWellKnown: 'via {{url}}',
    keysAt: 'keys at {{url}}',
    verifiedAt: 'verified {{time}}',
    active: 'Active',
    inactive: 'Inactive',
    edit: 'Edit',
    editLabel: 'Edit {{name}}',
    activate: 'Activate',
    activateLabel: 'Activate {{name}}',
    deactivate: 'Deactivate',
    deactivateLabel: 'Deactivate {{name}}',
    delete: 'Delete',
    deleteLabel: 'Delete {{name}}',
    nowActive: '{{name}} is now active.',
    nowInactive: '{{name}} is now inactive.',
    deleteTitle: 'Delete provider',
    deleteDescription:
      'Delete {{name}}? SETs from its transmitter will be refused from now on. Received events are kept.',
  },
  providerDetail: {
    back: 'All providers',
    loading: 'Loading the provider…',
    notFoundTitle: 'This provider no longer exists',
    notFoundDescription:
      'Provider {{providerId}} was deleted or is not visible to you.',
    actions: 'Provider actions',
    settings: 'Settings',
    fields: {
      id: 'Provider ID',
      status: 'Status',
      issuer: 'Issuer',
      wellKnownUrl: 'Well-known URL',
      jwksUrl: 'JWKS URL',
      lastVerification: 'Last verification',
      owner: 'Owner',
      consumer: 'Consuming component',
    },
  },
  remoteStream: {
    title: 'Remote stream of {{name}}',
    none: "This portal has no stream at {{name}}'s transmitter.",
    refreshStatus: 'Refresh status',
    pause: 'Pause',
    enable: 'Enable',
    editEvents: 'Edit events',
    reading: 'Reading the stream at the transmitter…',
  },
  relay: {
    title: "Relay to the portal's streams",
    intro:
      "Events of these types received from {{name}} are re-sent to this portal's own streams, as new SETs of its transmitter that keep the event's txn and add a relayed_from claim. A SET that was already relayed once is never relayed again.",
    loading: 'Loading the relay rule…',
    loadError: 'Could not load the relay rule',
    eventTypes: 'Event types relayed',
    none: 'None: nothing received from this provider is relayed.',
    updated: 'Last changed',
    updatedBy: '{{time}} by {{who}}',
    edit: 'Edit relay',
    editLabel: 'Edit relay of {{name}}',
    saved: 'The relay rule was saved.',
    dialogTitle: 'Relay events from {{name}}',
    dialogLabel: 'Edit relay rule',
    field: 'Event types to relay',
    fieldDescription:
      "Only event types this portal's transmitter sends can be relayed. Choose none to relay nothing.",
    placeholder: 'Choose event types',
    tooMany: 'Choose at most {{n}} event types',
    save: 'Save',
    saveError: 'The relay rule could not be saved',
  },
  securitySignals: {
    title: 'Security signals',
    loading: 'Loading security signals…',
    loadError: 'Could not load the security signals',
    forbidden: 'You do not have permission to see security signals',
    emptyTitle: 'No security signals about this user',
    emptyDescription:
      'Security events received from providers or sent to receivers about this user appear here.',
    received: 'Received',
    sent: 'Sent',
    matchedBy: 'Matched by {{identities}}',
    columns: {
      time: 'Time',
      provider: 'Provider',
      stream: 'Stream',
      type: 'Event type',
      reason: 'Reason',
      state: 'Delivery',
    },
    states: {
      pending: 'Pending',
      delivered: 'Delivered',
      dead: 'Dead-lettered',
      dropped: 'Dropped',
    },
    noneReceived: 'No event about this user was received.',
    noneSent: 'No event about this user was sent.',
  },
  receivedEvents: {
    loading: 'Loading received events…',
    loadError: 'Could not load the received events',
    emptyTitle: 'No events received yet',
    emptyDescription:
      'Events appear here once an active provider sends a verified SET. Add and activate a provider in the Providers tab, then ask its transmitter for a verification event.',
    noMatchTitle: 'No events match these filters',
    noMatchDescription: 'Widen the dates or clear a filter.',
    columns: {
      received: 'Received',
      provider: 'Provider',
      type: 'Type',
      subject: 'Subject',
    },
    deletedProvider: 'deleted provider',
    page: 'Page {{n}}',
    eventTitle: 'Event {{id}}',
    eventLoading: 'Loading the event…',
    eventLoadError: 'Could not load the event',
  },
  hooks: {
    intro:
      'Hooks turn identity changes, such as a user suspended or removed in the catalog, into security events for the streams that requested them.',
    dryRun: 'Dry run',
    create: 'Create hook',
    loading: 'Loading hooks…',
    loadError: 'Could not load the hooks',
    changeError: 'The hook could not be changed',
    emptyTitle: 'No hooks yet',
    emptyDescription:
      'Create one, or define ssf.lifecycle.hooks in app-config. A hook names the change it waits for (an attribute of a user changing, a user added or removed) and the event to send when it happens.',
    editLabel: 'Edit {{name}}',
    enable: 'Enable',
    enableLabel: 'Enable {{name}}',
    disable: 'Disable',
    disableLabel: 'Disable {{name}}',
    deleteLabel: 'Delete {{name}}',
    readOnly:
      'This hook comes from app-config and is read-only here; change it in ssf.lifecycle.hooks.',
    nowEnabled: '{{name}} is now enabled.',
    nowDisabled: '{{name}} is now disabled.',
    created: '{{name}} was created.',
    saved: '{{name}} was saved.',
    deleted: '{{name}} was deleted.',
    deleteTitle: 'Delete hook',
    deleteDescription:
      'Delete {{name}}? Identity changes will no longer emit its events.',
    firingsTitle: 'Recent firings',
    firingsLoading: 'Loading firings…',
    firingsLoadError: 'Could not load the hook firings',
    firingsEmpty:
      'No hook has fired yet. A firing is recorded each time an identity change matches an enabled hook; try a dry run to see what would match.',
    reconcileLoading: 'Loading the reconciliation status…',
  },
  transmitter: {
    metadataLoading: 'Loading transmitter metadata…',
    metadataLoadError: 'Could not load the transmitter metadata',
    keysLoading: 'Loading signing keys…',
    keysLoadError: 'Could not load the signing keys',
    metadataTitle: 'Transmitter metadata',
    keysTitle: 'Signing keys (JWKS)',
    noKeys:
      'No keys are published yet. The transmitter creates its first key when it signs its first event.',
    connectTitle: 'Connect a receiver',
  },
  charts: {
    hourAxis: 'Hour (local time)',
    setsAxis: 'SETs per hour',
    hourColumn: 'Hour',
    showNumbers: 'Show the numbers',
    totals: 'Last {{hours}} hours: {{summary}}',
    count: '{{n}} {{label}}',
    loading: 'Loading the last 24 hours…',
    loadError: 'Could not load the history',
  },
  streamChart: {
    title: 'Deliveries in the last 24 hours',
    delivered: 'delivered',
    failed: 'failed attempts',
    dead: 'dead-lettered',
    empty:
      'No SET was delivered, failed or dead-lettered for this stream in the last 24 hours.',
  },
  providerChart: {
    title: 'SETs received in the last 24 hours',
    accepted: 'accepted',
    rejected: 'rejected',
    empty: 'This provider sent no SET in the last 24 hours.',
    rejectedByErr: 'Rejected SETs by error',
    rejectedNone: 'None of its SETs was rejected.',
    errColumn: 'Error',
    countColumn: 'SETs',
  },
} as const;

/**
 * The messages of the Shared Signals page, for translating it: pass them to
 * `createTranslationMessages` or `createTranslationResource` with this ref.
 *
 * @alpha
 */
export const ssfTranslationRef = createTranslationRef({
  id: 'ssf',
  messages: ssfMessages,
});

/** The translation function of the page's messages, for helpers that take it. */
export type SsfT = TranslationFunction<typeof ssfTranslationRef.T>;
