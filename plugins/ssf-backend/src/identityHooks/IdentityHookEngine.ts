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

import { LoggerService } from '@backstage/backend-plugin-api';
import {
  SubjectIdentifier,
  subjectSchema,
} from '@shared-signals/plugin-ssf-common';
import {
  SsfIdentityChangeKind,
  SsfIdentityChangeOutcome,
} from '@shared-signals/plugin-ssf-node';
import { Knex } from 'knex';
import { createHash, randomUUID } from 'node:crypto';
import { TransmitterEmitter } from '../transmitter';
import { FiringStore, HookFiring } from './firings/FiringStore';
import { HookStore } from './hooks/HookStore';
import { triggerMatches } from './hooks/matching';
import { renderTemplate, TemplateValues } from './hooks/templates';
import { HookDefinition } from './hooks/types';
import { Attributes, hashAttributes } from './identities/attributes';
import { diffAttributes } from './identities/diff';
import { SnapshotStore } from './identities/SnapshotStore';

const CAEP_PREFIX = 'https://schemas.openid.net/secevent/caep/event-type/';
const EMAIL_PATH = 'spec.profile.email';
const DISPLAY_NAME_PATH = 'spec.profile.displayName';

/**
 * A new state of one identity, from any source. `next` computes the state
 * from the last seen one (undefined: the identity is gone), so a partial
 * update from an HR feed and a full entity from the catalog go the same way.
 *
 * @internal
 */
export interface IdentityUpdate {
  /** A catalog entity ref, or `subject:` and the canonical subject. */
  identity: string;
  /** catalog, api, or an extension source's id. */
  source: string;
  next(before: Attributes | undefined): Attributes | undefined;
  /**
   * Treat an identity never seen before as existing with no attributes, so
   * that a feed's first word about a user (e.g. removed) is a change, not an
   * addition. The catalog, which lists every user, leaves this off.
   */
  unknownIsEmpty?: boolean;
  /** The subject to name in events; derived from the attributes when absent. */
  subject?: SubjectIdentifier;
  observedAt: Date;
}

/** An event a hook would emit for a change. @internal */
export interface PlannedEvent {
  hook: HookDefinition & { id?: string };
  change: SsfIdentityChangeKind;
  eventType: string;
  subject: SubjectIdentifier;
  payload: Record<string, unknown>;
}

/**
 * Turns identity changes into events: diffs a new state against the
 * identity's snapshot, finds the enabled hooks each difference fires, and
 * emits their events, records the firings and moves the snapshot, all in
 * one transaction. A change is processed once: the snapshot row is locked
 * while it is diffed, and the change's idempotency key (identity, the state
 * it starts from and the state it leads to) is claimed before anything is
 * emitted, so the catalog reconciliation and a catalog event that both see
 * it emit it once.
 *
 * @internal
 */
export class IdentityHookEngine {
  readonly #knex: Knex;
  readonly #hooks: HookStore;
  readonly #snapshots: SnapshotStore;
  readonly #firings: FiringStore;
  readonly #emitter: TransmitterEmitter;
  readonly #subjectIssuer: string;
  readonly #logger: LoggerService;

  constructor(options: {
    knex: Knex;
    hooks: HookStore;
    snapshots: SnapshotStore;
    firings: FiringStore;
    emitter: TransmitterEmitter;
    /** The `iss` of iss_sub subjects. */
    subjectIssuer: string;
    logger: LoggerService;
  }) {
    this.#knex = options.knex;
    this.#hooks = options.hooks;
    this.#snapshots = options.snapshots;
    this.#firings = options.firings;
    this.#emitter = options.emitter;
    this.#subjectIssuer = options.subjectIssuer;
    this.#logger = options.logger;
  }

  /** Applies one identity's new state; see the class comment. */
  async apply(update: IdentityUpdate): Promise<SsfIdentityChangeOutcome> {
    const outcome: SsfIdentityChangeOutcome = {
      identity: update.identity,
      changes: [],
      events: [],
    };
    return this.#knex.transaction(async tx => {
      const now = new Date();
      const snapshot = await this.#snapshots.getForUpdate(update.identity, tx);
      const before =
        snapshot?.attributes ?? (update.unknownIsEmpty ? {} : undefined);
      const next = update.next(before);
      const changes = diffAttributes(before, next);
      if (!changes.length) return outcome;
      const nextHash = next ? hashAttributes(next) : 'removed';
      const key = createHash('sha256')
        .update(
          [
            update.identity,
            snapshot?.hash ?? 'new',
            snapshot?.updatedAt.toISOString() ?? '',
            nextHash,
          ].join('\n'),
        )
        .digest('hex');

      const hooks = await this.#hooks.list({ enabled: true }, tx);
      const planned = this.plan({ ...update, before, next, changes }, hooks);
      const claimed = await this.#firings.claim(
        {
          key,
          identity: update.identity,
          source: update.source,
          changes,
          events: planned.length,
          observedAt: update.observedAt,
        },
        now,
        tx,
      );
      if (!claimed) return outcome;

      // One cause, one txn: every SET this change produces shares it.
      const txn = randomUUID();
      const firings: Array<Omit<HookFiring, 'id'>> = [];
      for (const event of planned) {
        const result = await this.#emitter.emit(
          {
            type: event.eventType,
            subject: event.subject,
            payload: event.payload,
            txn,
          },
          { tx },
        );
        firings.push({
          ...(event.hook.id && { hookId: event.hook.id }),
          hookName: event.hook.name,
          identity: update.identity,
          subject: event.subject,
          change: event.change,
          eventType: event.eventType,
          txn,
          sets: result.sets,
          source: update.source,
          observedAt: update.observedAt,
          firedAt: now,
        });
        outcome.events.push({
          hookName: event.hook.name,
          eventType: event.eventType,
          txn,
          sets: result.sets,
        });
      }
      await this.#firings.record(key, firings, tx);
      if (next) {
        await this.#snapshots.put(
          {
            identity: update.identity,
            source: update.source,
            hash: nextHash,
            attributes: next,
          },
          now,
          tx,
        );
      } else {
        await this.#snapshots.delete(update.identity, tx);
      }
      outcome.changes = changes;
      if (planned.length) {
        this.#logger.info(
          `Identity ${update.identity} changed (${changes.length} difference(s)); lifecycle hooks emitted ${planned.length} event(s) in txn ${txn}`,
        );
      }
      return outcome;
    });
  }

  /**
   * The events the given hooks emit for a set of changes, without emitting
   * them: what `apply` sends, and what a dry run shows.
   */
  plan(
    context: {
      identity: string;
      subject?: SubjectIdentifier;
      before: Attributes | undefined;
      next: Attributes | undefined;
      changes: SsfIdentityChangeKind[];
      observedAt: Date;
    },
    hooks: Array<HookDefinition & { id?: string }>,
  ): PlannedEvent[] {
    // Receivers know the user as it was: name it by the state before the
    // change (the old email for identifier-changed), or the new one if new.
    const known = context.before ?? context.next ?? {};
    const planned: PlannedEvent[] = [];
    for (const change of context.changes) {
      for (const hook of hooks) {
        if (!hook.enabled || !triggerMatches(hook.trigger, change)) continue;
        const subject =
          context.subject ?? this.#subjectOf(hook, context.identity, known);
        const email =
          known[EMAIL_PATH] ??
          (subject.format === 'email' ? String(subject.email) : '');
        const values: TemplateValues = {
          from: change.kind === 'attribute_changed' ? change.from ?? '' : '',
          to: change.kind === 'attribute_changed' ? change.to ?? '' : '',
          path: change.kind === 'attribute_changed' ? change.path : change.kind,
          identity: context.identity,
          email,
          name:
            known[DISPLAY_NAME_PATH] ??
            known['metadata.name'] ??
            (email || context.identity),
        };
        const payload = renderTemplate(hook.payloadTemplate, values);
        if (
          hook.eventType.startsWith(CAEP_PREFIX) &&
          payload.event_timestamp === undefined
        ) {
          payload.event_timestamp = Math.floor(
            context.observedAt.getTime() / 1000,
          );
        }
        planned.push({
          hook,
          change,
          eventType: hook.eventType,
          subject,
          payload,
        });
      }
    }
    return planned;
  }

  // The hook's subject format, falling back to iss_sub when the user has no
  // (valid) email, so every user can be named.
  #subjectOf(
    hook: HookDefinition,
    identity: string,
    attributes: Attributes,
  ): SubjectIdentifier {
    const email = attributes[EMAIL_PATH];
    if (hook.subjectFormat === 'email' && email) {
      const subject = { format: 'email' as const, email };
      if (subjectSchema.safeParse(subject).success) return subject;
    }
    return { format: 'iss_sub', iss: this.#subjectIssuer, sub: identity };
  }
}
