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
import { EventsService } from '@backstage/plugin-events-node';
import {
  ReceivedSsfEvent,
  ReceivedSsfEventHandler,
  SSF_RECEIVED_EVENTS_TOPIC,
} from '@shared-signals/plugin-ssf-node';
import { ReceivedEventStore } from './ReceivedEventStore';

/**
 * Hands newly stored SETs to the events service (topic `ssf.received`) and to
 * the handlers registered through `ssfReceivedEventHandlersExtensionPoint`.
 *
 * This runs after the SET is stored and after the transmitter has its 202:
 * handlers may be slow, and the transmitter must not wait for them nor
 * redeliver because of them. A handler that throws is logged and its error
 * recorded on the stored event (`handler_error`), which stays stored. If the
 * process stops between storing and handling, the event is stored but not
 * handled; the listing shows it.
 *
 * @internal
 */
export class ReceivedEventDispatcher {
  readonly #events: EventsService;
  readonly #handlers: () => ReceivedSsfEventHandler[];
  readonly #store: ReceivedEventStore;
  readonly #logger: LoggerService;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(options: {
    events: EventsService;
    handlers: () => ReceivedSsfEventHandler[];
    store: ReceivedEventStore;
    logger: LoggerService;
  }) {
    this.#events = options.events;
    this.#handlers = options.handlers;
    this.#store = options.store;
    this.#logger = options.logger;
  }

  /** Starts handling an event in the background. */
  dispatch(event: ReceivedSsfEvent): void {
    const work = this.#run(event).catch(error =>
      this.#logger.error(`Handling received SET ${event.id} failed`, error),
    );
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work));
  }

  /** Resolves when every dispatched event has been handled (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#inFlight.size) {
      await Promise.all([...this.#inFlight]);
    }
  }

  async #run(event: ReceivedSsfEvent): Promise<void> {
    try {
      await this.#events.publish({
        topic: SSF_RECEIVED_EVENTS_TOPIC,
        eventPayload: {
          ...event,
          issuedAt: event.issuedAt.toISOString(),
          receivedAt: event.receivedAt.toISOString(),
        },
        metadata: { iss: event.iss, eventType: event.eventTypes[0] },
      });
    } catch (error) {
      this.#logger.warn(
        `Could not publish received SET ${
          event.id
        } on ${SSF_RECEIVED_EVENTS_TOPIC}: ${(error as Error).message}`,
      );
    }

    const failures: string[] = [];
    for (const handler of this.#handlers()) {
      if (
        handler.eventTypes &&
        !handler.eventTypes.some(t => event.eventTypes.includes(t))
      ) {
        continue;
      }
      try {
        await handler.handle(event);
      } catch (error) {
        const message = (error as Error)?.message ?? String(error);
        failures.push(`${handler.id}: ${message}`);
        this.#logger.warn(
          `Received-event handler ${handler.id} failed for SET ${event.id} (iss ${event.iss}, jti ${event.jti}): ${message}`,
        );
      }
    }
    if (failures.length) {
      await this.#store.setHandlerError(event.id, failures.join('\n'));
    }
  }
}
