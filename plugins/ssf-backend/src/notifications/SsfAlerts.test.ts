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

import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { SsfAlerts } from './SsfAlerts';

/**
 * Alerts configured with `notifications` that send to a recording service,
 * on a clock the test moves; `flushed()` waits for the sends and returns all
 * sent so far.
 */
function recordingAlerts(notifications: JsonObject) {
  const sent: NotificationSendOptions[] = [];
  const clock = { now: 0 };
  const alerts = alertsWith(
    notifications,
    {
      async send(options) {
        sent.push(options);
      },
    },
    clock,
  );
  const flushed = async () => {
    await alerts.flush();
    return sent;
  };
  return { alerts, sent, clock, flushed };
}

function alertsWith(
  notifications: JsonObject,
  service?: NotificationService,
  clock = { now: 0 },
) {
  return SsfAlerts.fromConfig({
    config: new ConfigReader({ ssf: { notifications } }),
    notifications: service,
    logger: mockServices.logger.mock(),
    now: () => clock.now,
  });
}

const ALICE_ONLY = { recipients: ['user:default/alice'] };

describe('SsfAlerts', () => {
  it('tells the first dead letter, then at most once per interval, and again at once after a delivery', async () => {
    const { alerts, clock, flushed } = recordingAlerts({
      recipients: ['user:default/alice', 'group:default/security'],
      deadLetterInterval: { minutes: 10 },
    });
    // A burst of thousands: one call.
    for (let i = 0; i < 5000; i++) alerts.deadLettered('s1', 'HTTP 400');
    const sent = await flushed();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toEqual({
      recipients: {
        type: 'entity',
        entityRef: ['user:default/alice', 'group:default/security'],
      },
      payload: expect.objectContaining({
        scope: 'ssf:stream:s1:dead-letters',
        link: '/ssf/streams/s1',
        severity: 'high',
      }),
    });
    // Still failing within the interval: nothing; after it: once more.
    clock.now = 9 * 60_000;
    alerts.deadLettered('s1', 'HTTP 400');
    clock.now = 10 * 60_000;
    for (let i = 0; i < 100; i++) alerts.deadLettered('s1', 'HTTP 400');
    expect(await flushed()).toHaveLength(2);
    // Another stream has its own scope.
    alerts.deadLettered('s2', 'HTTP 400');
    expect(await flushed()).toHaveLength(3);
    expect(sent[2].payload.scope).toBe('ssf:stream:s2:dead-letters');
    // A delivery ends the episode: the next dead letter is told at once...
    alerts.delivered('s1');
    clock.now += 60_000;
    alerts.deadLettered('s1', 'HTTP 400');
    expect(await flushed()).toHaveLength(4);
    // ...but a stream that flaps (a delivery between every two dead
    // letters) is told at most once a minute, not of each dead letter.
    for (let i = 0; i < 30; i++) {
      alerts.delivered('s1');
      clock.now += 1000;
      alerts.deadLettered('s1', 'HTTP 400');
    }
    expect(await flushed()).toHaveLength(4);
    alerts.delivered('s1');
    clock.now += 30_000;
    alerts.deadLettered('s1', 'HTTP 400');
    expect(await flushed()).toHaveLength(5);
  });

  /**
   * What is sent when `burst` runs (at time 0, moving the clock if it
   * likes) and `later` once the clock is at `at`: one notification after
   * each is expected.
   */
  async function toldOnceThenAgain(
    burst: (alerts: SsfAlerts, clock: { now: number }) => void,
    at: number,
    later: (alerts: SsfAlerts) => void,
  ) {
    const { alerts, clock, flushed } = recordingAlerts(ALICE_ONLY);
    burst(alerts, clock);
    expect(await flushed()).toHaveLength(1);
    clock.now = at;
    later(alerts);
    const sent = await flushed();
    expect(sent).toHaveLength(2);
    return sent;
  }

  it('defaults the interval to one hour', async () => {
    const [first] = await toldOnceThenAgain(
      (alerts, clock) => {
        alerts.providerFetchFailed('p1', 'keys', 'HTTP 500');
        clock.now = 3_600_000 - 1;
        alerts.providerFetchFailed('p1', 'keys', 'HTTP 500');
      },
      3_600_000,
      alerts => alerts.providerFetchFailed('p1', 'keys', 'HTTP 500'),
    );
    expect(first.payload).toMatchObject({
      scope: 'ssf:provider:p1:keys',
      link: '/ssf/providers/p1',
    });
  });

  it('rate-limits streams the transmitter pauses or disables', async () => {
    const [first, second] = await toldOnceThenAgain(
      alerts => {
        for (let i = 0; i < 50; i++) {
          alerts.streamPausedByTransmitter({ streamId: 's1' }, 'inactive');
          alerts.streamDisabledByTransmitter({ streamId: 's1' }, 'inactive');
        }
      },
      60_000,
      alerts =>
        alerts.streamDisabledByTransmitter({ streamId: 's1' }, 'inactive'),
    );
    expect(first.payload).toMatchObject({
      scope: 'ssf:stream:s1:status',
      link: '/ssf/streams/s1',
    });
    expect(second.payload.severity).toBe('critical');
  });

  it('is off without a notifications service or without recipients', async () => {
    const noRecipients = recordingAlerts({});
    expect(noRecipients.alerts.enabled).toBe(false);
    noRecipients.alerts.deadLettered('s1', 'HTTP 400');
    const noService = alertsWith(ALICE_ONLY);
    expect(noService.enabled).toBe(false);
    noService.deadLettered('s1', 'HTTP 400');
    noService.reconciliationHeldBack({
      removed: 20,
      known: 30,
      maxRemovedFraction: 0.5,
    });
    await noService.flush();
    expect(await noRecipients.flushed()).toHaveLength(0);
  });

  it('logs a failed send and does not throw', async () => {
    const logger = mockServices.logger.mock();
    const alerts = SsfAlerts.fromConfig({
      config: new ConfigReader({ ssf: { notifications: ALICE_ONLY } }),
      notifications: {
        send: async () => {
          throw new Error('notifications are down');
        },
      },
      logger,
    });
    expect(() => alerts.deadLettered('s1', 'HTTP 400')).not.toThrow();
    await alerts.flush();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('notifications are down'),
    );
  });

  it('cuts long error texts', async () => {
    const { alerts, flushed } = recordingAlerts({
      recipients: ['user:default/a'],
    });
    alerts.deadLettered('s1', `HTTP 400: ${'x'.repeat(5000)}`);
    const [sent] = await flushed();
    expect(sent.payload.description!.length).toBeLessThan(500);
  });

  it.each([
    ['alice', 'Invalid ssf.notifications.recipients entry "alice"'],
    ['component:default/svc', 'must be a user or group'],
    ['user:', 'Invalid ssf.notifications.recipients entry'],
  ])('refuses the recipient %p, naming the key', (ref, message) => {
    expect(() => alertsWith({ recipients: [ref] })).toThrow(
      /ssf\.notifications\.recipients/,
    );
    expect(() => alertsWith({ recipients: [ref] })).toThrow(message);
  });

  it('refuses a bad interval, naming the key', () => {
    expect(() =>
      alertsWith({ recipients: [], deadLetterInterval: 'soon' }),
    ).toThrow(/ssf\.notifications\.deadLetterInterval/);
  });
});
