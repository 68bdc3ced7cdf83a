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

import { Config } from '@backstage/config';
import { UserInfoService } from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isPermission,
  PermissionCondition,
  PermissionCriteria,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  DEFAULT_SSF_ADMIN_GROUPS,
  normaliseSsfGroups,
  SSF_PROVIDER_ID_ANNOTATION,
  SSF_STREAM_ID_ANNOTATION,
} from '@shared-signals/plugin-ssf-common';

type CatalogCriteria = PermissionCriteria<
  PermissionCondition<'catalog-entity'>
>;

/** Who holds the `ssf.*` permissions. @public */
export interface SsfPermissionGroups {
  /** Granted every `ssf.*` permission. */
  adminGroups: readonly string[];
  /** Granted the `ssf.*.read` permissions. */
  readerGroups: readonly string[];
}

/**
 * Reads `ssf.permissions`; entity refs are compared in lower case, as the
 * catalog compares them.
 *
 * @public
 */
export function readSsfPermissionGroups(config: Config): SsfPermissionGroups {
  const c = config.getOptionalConfig('ssf.permissions');
  return {
    adminGroups: normaliseSsfGroups(
      c?.getOptionalStringArray('adminGroups'),
      DEFAULT_SSF_ADMIN_GROUPS,
    ),
    readerGroups: normaliseSsfGroups(c?.getOptionalStringArray('readerGroups')),
  };
}

/**
 * A permission policy that decides every `ssf.*` permission by group and
 * hands every other permission to `delegate`. A user holds the `ssf.*`
 * permissions when one of their ownership entity refs (the user and the
 * groups they are a member of) is an admin group, and the read ones when it
 * is a reader group. Anyone else, and any request without a user, is denied.
 *
 * Wrap the portal's own policy with it, or install
 * `@shared-signals/plugin-permission-backend-module-ssf-policy`, which uses
 * it in place of create-app's allow-all policy.
 *
 * @public
 */
export class SsfPermissionPolicy implements PermissionPolicy {
  readonly #groups: SsfPermissionGroups;
  readonly #userInfo: UserInfoService;
  readonly #delegate: PermissionPolicy;

  constructor(options: {
    groups: SsfPermissionGroups;
    userInfo: UserInfoService;
    /** Decides every permission that is not `ssf.*`. */
    delegate: PermissionPolicy;
  }) {
    this.#groups = options.groups;
    this.#userInfo = options.userInfo;
    this.#delegate = options.delegate;
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (isPermission(request.permission, catalogEntityReadPermission)) {
      return this.#catalogRead(request, user);
    }
    const name = request.permission.name;
    if (!name.startsWith('ssf.')) {
      return this.#delegate.handle(request, user);
    }
    const access = await this.#access(user);
    if (access === 'admin') return { result: AuthorizeResult.ALLOW };
    const isRead = request.permission.attributes.action === 'read';
    if (isRead && access === 'reader') {
      return { result: AuthorizeResult.ALLOW };
    }
    return { result: AuthorizeResult.DENY };
  }

  /** What the user may do with SSF: everything, read, or nothing. */
  async #access(user?: PolicyQueryUser): Promise<'admin' | 'reader' | 'none'> {
    if (!user) return 'none';
    const { ownershipEntityRefs } = await this.#userInfo.getUserInfo(
      user.credentials,
    );
    const refs = new Set(ownershipEntityRefs.map(r => r.toLowerCase()));
    const inAny = (groups: readonly string[]) => groups.some(g => refs.has(g));
    if (inAny(this.#groups.adminGroups)) return 'admin';
    if (inAny(this.#groups.readerGroups)) return 'reader';
    return 'none';
  }

  /**
   * Catalog reads as the delegate decides them, except that the SSF
   * streams and providers the catalog module publishes (entities with the
   * stream or provider ID annotation) are left out for users who may not
   * read them on the SSF admin pages. Both read permissions are granted to
   * the same groups, so one check decides both kinds.
   */
  async #catalogRead(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const decision = await this.#delegate.handle(request, user);
    if (decision.result === AuthorizeResult.DENY) return decision;
    if ((await this.#access(user)) !== 'none') return decision;
    const notSsf: CatalogCriteria = {
      not: {
        anyOf: [
          catalogConditions.hasAnnotation({
            annotation: SSF_STREAM_ID_ANNOTATION,
          }),
          catalogConditions.hasAnnotation({
            annotation: SSF_PROVIDER_ID_ANNOTATION,
          }),
        ],
      },
    };
    return createCatalogConditionalDecision(
      catalogEntityReadPermission,
      decision.result === AuthorizeResult.CONDITIONAL
        ? { allOf: [decision.conditions as CatalogCriteria, notSsf] }
        : notSsf,
    );
  }
}
