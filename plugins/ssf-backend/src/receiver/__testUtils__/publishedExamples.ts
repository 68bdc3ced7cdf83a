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

/*
 * Examples that peers and specifications publish, copied verbatim, for the
 * tests that check we take what they send as they show it.
 */

/**
 * The decoded token of "2. Handle security events", Google Cross-Account
 * Protection (RISC),
 * https://developers.google.com/identity/protocols/risc#handle_security_events:
 * the subject inside the event, `subject_type` instead of `format`, the
 * draft type name `iss-sub`. The page names no `typ` header (step 1 of
 * "Decode and validate" reads only the `kid`, and verifies RS256).
 */
export const GOOGLE_RISC_TOKEN = {
  iss: 'https://accounts.google.com/',
  aud: '123456789-abcedfgh.apps.googleusercontent.com',
  iat: 1508184845,
  jti: '756E69717565206964656E746966696572',
  events: {
    'https://schemas.openid.net/secevent/risc/event-type/account-disabled': {
      subject: {
        subject_type: 'iss-sub',
        iss: 'https://accounts.google.com/',
        sub: '7375626A656374',
      },
      reason: 'hijacking',
    },
  },
};

/**
 * The complex `sub_id` of CAEP 1.0 §3.1.3, "Session Revoked - subject as
 * `sub` claim (includes optional claims)": the session before the user.
 */
export const CAEP_COMPLEX_SUB_ID = {
  format: 'complex',
  session: { format: 'opaque', id: 'dMTlD|1600802906337.16|16008.16' },
  user: {
    format: 'iss_sub',
    iss: 'https://idp.example.com/123456789/',
    sub: '99beb27c-c1c2-4955-882a-e0dc4996fcbc',
  },
  tenant: { format: 'opaque', id: '123456789' },
};
