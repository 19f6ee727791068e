// Bearer tokens per role from RINGGUARD_API_TOKENS="role:token,role:token".
// Tokens are compared in constant time (over SHA-256 digests, so lengths do not leak).
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from './errors.js';

export type Role = 'viewer' | 'integration' | 'operator' | 'engineer';
export type Permission = 'read' | 'ack' | 'note' | 'close' | 'switchover' | 'maintain' | 'reconfigure';

const ROLES: readonly Role[] = ['viewer', 'integration', 'operator', 'engineer'];
const GRANTS: Record<Role, readonly Permission[]> = {
  viewer: ['read'],
  integration: ['read', 'ack', 'note'],
  operator: ['read', 'ack', 'note', 'close', 'maintain'],
  engineer: ['read', 'ack', 'note', 'close', 'switchover', 'maintain', 'reconfigure'],
};

const digest = (s: string) => createHash('sha256').update(s).digest();

export class TokenAuth {
  private readonly entries: Array<{ role: Role; digest: Buffer }>;

  constructor(spec: string | undefined) {
    this.entries = [];
    if (!spec?.trim()) return;
    for (const part of spec
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const i = part.indexOf(':');
      const role = part.slice(0, i) as Role;
      const token = part.slice(i + 1);
      if (i <= 0 || !ROLES.includes(role) || !token) {
        throw new Error(
          `RINGGUARD_API_TOKENS: "${part.split(':')[0]}:…" is not role:token with role one of ${ROLES.join(', ')}`,
        );
      }
      this.entries.push({ role, digest: digest(token) });
    }
  }

  get enabled(): boolean {
    return this.entries.length > 0;
  }

  /** What the caller may do (GET /api/v1/whoami): every permission when auth is off. */
  whoami(authorization: string | undefined): { role: Role | null; permissions: readonly Permission[] } {
    const role = this.check(authorization, 'read');
    return { role, permissions: role ? GRANTS[role] : GRANTS.engineer };
  }

  /** The caller's role, or an ApiError (401 no/unknown token, 403 not allowed). */
  check(authorization: string | undefined, need: Permission): Role | null {
    if (!this.enabled) return null;
    const m = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
    if (!m) throw new ApiError('UNAUTHORIZED', 'missing bearer token (Authorization: Bearer TOKEN)');
    const d = digest(m[1].trim());
    let role: Role | null = null;
    for (const e of this.entries) if (timingSafeEqual(e.digest, d)) role = e.role;
    if (!role) throw new ApiError('UNAUTHORIZED', 'unknown token');
    if (!GRANTS[role].includes(need)) throw new ApiError('FORBIDDEN', `role ${role} may not ${need}`);
    return role;
  }
}
