// The role table of API.md: every role reads; admin may do everything.
import { SetMetadata } from '@nestjs/common';
import type { ActorRole } from '@app/domain';

export const ROLES_KEY = 'ceasefire:roles';
export const PUBLIC_KEY = 'ceasefire:public';

/** The roles (besides admin) that may call the route. `reader` means every role. */
export const Roles = (...roles: ActorRole[]) => SetMetadata(ROLES_KEY, roles);
/** No key needed (health, docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export function roleAllows(role: ActorRole, required: readonly ActorRole[]): boolean {
  return role === 'admin' || required.includes('reader') || required.includes(role);
}
