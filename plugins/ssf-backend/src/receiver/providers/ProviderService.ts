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

import { NotFoundError } from '@backstage/errors';
import {
  CreateSecurityEventsProviderRequest,
  DELIVERY_METHODS,
  ReplaceSecurityEventsProviderRequest,
  SecurityEventsProviderStatus,
} from '@shared-signals/plugin-ssf-common';
import { Knex } from 'knex';
import { createHash, randomInt } from 'node:crypto';
import { checkOutboundUrl, HostResolver } from '../../http/outboundUrlPolicy';
import { ReceiverConfig } from '../config';
import {
  fetchTransmitterMetadata,
  normaliseIssuer,
  receiverPolicyMessage,
  RemoteDocumentError,
} from '../keys/transmitterMetadata';
import { ProviderRecord, ProviderStore } from './ProviderStore';
import { isUniqueViolation } from '../../database/uniqueViolation';
import { ProviderInputError } from './providerErrors';

const ID_ALPHABET =
  '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** An opaque provider id shaped like the provider API's (`sse` + 17 characters). @internal */
export function newProviderId(): string {
  let id = 'sse';
  for (let i = 0; i < 17; i++) {
    id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  }
  return id;
}

/** The stored form of a bearer secret: only its SHA-256 is kept. @internal */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Told when a provider changes, so caches of providers and keys drop it. @internal */
export type ProviderChangeListener = (change: {
  id: string;
  issuer: string;
}) => void;

type ResolvedSettings = Pick<
  ProviderRecord,
  'issuer' | 'jwksUrl' | 'wellKnownUrl' | 'acceptNonUrlIssuer'
>;

/**
 * Security Events Provider management: validation (settings forms, URL
 * policy, the metadata's issuer, unique names and issuers) and storage. The
 * routes turn HTTP into these calls.
 *
 * @internal
 */
export class ProviderService {
  readonly #store: ProviderStore;
  readonly #config: ReceiverConfig;
  readonly #resolve?: HostResolver;
  readonly #now: () => Date;
  readonly #listeners: ProviderChangeListener[] = [];

  constructor(options: {
    store: ProviderStore;
    config: ReceiverConfig;
    resolve?: HostResolver;
    now?: () => Date;
  }) {
    this.#store = options.store;
    this.#config = options.config;
    this.#resolve = options.resolve;
    this.#now = options.now ?? (() => new Date());
  }

  get store(): ProviderStore {
    return this.#store;
  }

  onChange(listener: ProviderChangeListener): void {
    this.#listeners.push(listener);
  }

  async list(): Promise<ProviderRecord[]> {
    return this.#store.list();
  }

  async get(id: string): Promise<ProviderRecord> {
    const provider = await this.#store.get(id);
    if (!provider) {
      throw notFound(id);
    }
    return provider;
  }

  async create(
    request: CreateSecurityEventsProviderRequest,
  ): Promise<ProviderRecord> {
    const settings = await this.#resolveSettings(
      request.settings,
      request.settings.accept_non_url_issuer ?? false,
    );
    const pollEndpointUrl = await this.#pollEndpoint(request.delivery);
    const now = this.#now();
    const record: ProviderRecord = {
      id: newProviderId(),
      name: request.name,
      type: request.type,
      status: 'ACTIVE',
      ...settings,
      acceptUntypedSets: request.settings.accept_untyped_sets ?? false,
      authorizationSecretHash: request.authorization_secret
        ? hashSecret(request.authorization_secret)
        : undefined,
      ...(request.owner && { owner: request.owner }),
      ...(request.consumer && { consumer: request.consumer }),
      deliveryMethod: pollEndpointUrl
        ? DELIVERY_METHODS.poll
        : DELIVERY_METHODS.push,
      pollEndpointUrl,
      createdAt: now,
      updatedAt: now,
    };
    await this.#write(record, undefined, tx => this.#store.insert(record, tx));
    this.#changed(record);
    return record;
  }

  async replace(
    id: string,
    request: ReplaceSecurityEventsProviderRequest,
  ): Promise<{ previous: ProviderRecord; current: ProviderRecord }> {
    const previous = await this.get(id);
    const causes: string[] = [];
    if (request.id !== undefined && request.id !== id) {
      causes.push(`id: must be '${id}', the provider being replaced`);
    }
    if (request.status !== undefined && request.status !== previous.status) {
      causes.push(
        'status: cannot be changed by a replace; use lifecycle/activate or lifecycle/deactivate',
      );
    }
    if (causes.length) {
      throw new ProviderInputError(causes);
    }
    // Extensions absent from the body stay as they are: the secret is
    // write-only, so a GET-modify-PUT could not otherwise keep it; and a
    // client that knows only the provider API's settings must not switch the
    // leniency flags off by replacing a provider. (A well-known provider's
    // issuer is a URL: the non-URL flag does not carry over to one.)
    const settings = await this.#resolveSettings(
      request.settings,
      request.settings.accept_non_url_issuer ??
        previous.acceptNonUrlIssuer ??
        false,
    );
    const pollEndpointUrl =
      request.delivery === undefined
        ? previous.pollEndpointUrl
        : await this.#pollEndpoint(request.delivery);
    let authorizationSecretHash = previous.authorizationSecretHash;
    if (request.authorization_secret === null) {
      authorizationSecretHash = undefined;
    } else if (request.authorization_secret !== undefined) {
      authorizationSecretHash = hashSecret(request.authorization_secret);
    }
    const current: ProviderRecord = {
      ...withCatalogRefs(previous, request),
      name: request.name,
      type: request.type,
      ...settings,
      wellKnownUrl: settings.wellKnownUrl,
      acceptUntypedSets:
        request.settings.accept_untyped_sets ??
        previous.acceptUntypedSets ??
        false,
      authorizationSecretHash,
      deliveryMethod: pollEndpointUrl
        ? DELIVERY_METHODS.poll
        : DELIVERY_METHODS.push,
      pollEndpointUrl,
      updatedAt: this.#now(),
    };
    await this.#write(current, id, async tx => {
      if (!(await this.#store.get(id, tx))) {
        throw notFound(id);
      }
      await this.#store.update(current, tx);
    });
    this.#changed(previous);
    this.#changed(current);
    return { previous, current };
  }

  async delete(id: string): Promise<ProviderRecord> {
    const provider = await this.#store.transaction(async tx => {
      const existing = await this.#store.get(id, tx);
      if (!existing) {
        throw notFound(id);
      }
      await this.#store.delete(id, tx);
      return existing;
    });
    this.#changed(provider);
    return provider;
  }

  async setStatus(
    id: string,
    status: SecurityEventsProviderStatus,
  ): Promise<{ previous: ProviderRecord; current: ProviderRecord }> {
    const result = await this.#store.transaction(async tx => {
      const previous = await this.#store.get(id, tx);
      if (!previous) {
        throw notFound(id);
      }
      const current = { ...previous, status, updatedAt: this.#now() };
      if (previous.status !== status) {
        await this.#store.update(current, tx);
      }
      return { previous, current };
    });
    this.#changed(result.current);
    return result;
  }

  /** Inserts or updates, turning name and issuer clashes into 400s. */
  async #write(
    record: ProviderRecord,
    ownId: string | undefined,
    write: (tx: Knex.Transaction) => Promise<void>,
  ): Promise<void> {
    const clashes = async (tx?: Knex.Transaction) => {
      const causes: string[] = [];
      const byName = await this.#store.getByName(record.name, tx);
      if (byName && byName.id !== ownId) {
        causes.push(
          `name: a Security Events Provider named '${record.name}' already exists`,
        );
      }
      const byIssuer = await this.#store.getByIssuer(record.issuer, tx);
      if (byIssuer && byIssuer.id !== ownId) {
        causes.push(
          `settings: the issuer '${record.issuer}' already belongs to the provider '${byIssuer.name}' (${byIssuer.id})`,
        );
      }
      return causes;
    };
    try {
      await this.#store.transaction(async tx => {
        const causes = await clashes(tx);
        if (causes.length) {
          throw new ProviderInputError(causes);
        }
        await write(tx);
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        // A concurrent write took the name or issuer between check and insert.
        const causes = await clashes();
        throw new ProviderInputError(
          causes.length ? causes : ['name or issuer is already in use'],
        );
      }
      throw error;
    }
  }

  async #resolveSettings(
    settings: CreateSecurityEventsProviderRequest['settings'],
    acceptNonUrlIssuer: boolean,
  ): Promise<ResolvedSettings> {
    const fetchOptions = {
      policy: this.#config.urlPolicy,
      timeoutMs: this.#config.keys.fetchTimeoutMs,
      resolve: this.#resolve,
    };
    if (settings.well_known_url !== undefined) {
      await this.#checkUrl(
        settings.well_known_url,
        'settings.well_known_url',
        'deny',
      );
      try {
        const metadata = await fetchTransmitterMetadata(
          settings.well_known_url,
          fetchOptions,
        );
        await this.#checkUrl(
          metadata.jwks_uri,
          "the transmitter metadata's jwks_uri",
          'allow',
        );
        return {
          issuer: normaliseIssuer(metadata.issuer),
          jwksUrl: metadata.jwks_uri,
          wellKnownUrl: settings.well_known_url,
          acceptNonUrlIssuer: false,
        };
      } catch (error) {
        if (error instanceof RemoteDocumentError) {
          throw new ProviderInputError([error.message]);
        }
        throw error;
      }
    }
    const issuer = settings.issuer!;
    const jwksUrl = settings.jwks_url!;
    this.#checkIssuer(issuer, acceptNonUrlIssuer);
    await this.#checkUrl(jwksUrl, 'settings.jwks_url', 'allow');
    return {
      issuer: normaliseIssuer(issuer),
      jwksUrl,
      wellKnownUrl: undefined,
      acceptNonUrlIssuer,
    };
  }

  #checkIssuer(issuer: string, acceptNonUrlIssuer: boolean) {
    let url: URL | undefined;
    try {
      url = new URL(issuer);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      if (!acceptNonUrlIssuer) {
        throw new ProviderInputError([
          'settings.issuer must be an absolute URL; for a transmitter whose issuer is not one, set settings.accept_non_url_issuer to true',
        ]);
      }
      this.#checkStringOrUri(issuer, url);
      return;
    }
    const insecureOk =
      url.protocol === 'http:' && this.#config.urlPolicy.allowInsecureUrls;
    if (url.protocol !== 'https:' && !insecureOk) {
      throw new ProviderInputError([
        'settings.issuer must be an https URL (http is allowed only when ssf.receiver.allowInsecureUrls is set)',
      ]);
    }
  }

  /**
   * RFC 7519 §2 StringOrURI: any string, but one that contains ':' must be
   * a URI. Whitespace and control characters are refused: an issuer is
   * compared byte for byte, and such characters only hide differences.
   */
  #checkStringOrUri(issuer: string, parsed: URL | undefined) {
    const hidden = [...issuer].some(c => {
      const code = c.codePointAt(0)!;
      return code < 0x20 || code === 0x7f || /\s/.test(c);
    });
    if (hidden) {
      throw new ProviderInputError([
        'settings.issuer must not contain whitespace or control characters',
      ]);
    }
    if (issuer.includes(':') && !parsed) {
      throw new ProviderInputError([
        "settings.issuer contains ':', so it must be a URI (RFC 7519 §2, StringOrURI)",
      ]);
    }
    if (!/[^/]/.test(issuer)) {
      throw new ProviderInputError(['settings.issuer must not be empty']);
    }
  }

  async #checkUrl(url: string, field: string, unresolvable: 'allow' | 'deny') {
    try {
      await checkOutboundUrl(url, this.#config.urlPolicy, {
        field,
        resolve: this.#resolve,
        unresolvable,
      });
    } catch (error) {
      throw new ProviderInputError([
        receiverPolicyMessage((error as Error).message),
      ]);
    }
  }

  async #pollEndpoint(
    delivery: CreateSecurityEventsProviderRequest['delivery'],
  ): Promise<string | undefined> {
    if (delivery?.method !== DELIVERY_METHODS.poll) {
      return undefined;
    }
    await this.#checkUrl(
      delivery.endpoint_url,
      'delivery.endpoint_url',
      'allow',
    );
    return delivery.endpoint_url;
  }

  #changed(provider: ProviderRecord) {
    for (const listener of this.#listeners) {
      listener({ id: provider.id, issuer: provider.issuer });
    }
  }
}

function notFound(id: string) {
  return new NotFoundError(
    `Resource not found: ${id} (SecurityEventsProvider)`,
  );
}

/**
 * The provider with the request's `owner` and `consumer` applied: absent
 * keeps the held value (like the other extensions), `null` removes it.
 */
function withCatalogRefs(
  previous: ProviderRecord,
  request: ReplaceSecurityEventsProviderRequest,
): ProviderRecord {
  const next: ProviderRecord = { ...previous };
  for (const member of ['owner', 'consumer'] as const) {
    const sent = request[member];
    if (sent === null) delete next[member];
    else if (sent !== undefined) next[member] = sent;
  }
  return next;
}
