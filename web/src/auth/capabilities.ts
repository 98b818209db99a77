// What the caller may do, worked out from their grants as the server does (docs/API.md,
// Authorization), so pages offer only the actions that can succeed. The server still checks
// every request: this only hides buttons.
import type { Schemas } from '../api/client'

export type Role = Schemas['Role']
type Grant = Schemas['GrantInfo']

const RANK: Record<Role, number> = { reader: 1, writer: 2, admin: 3 }

export interface Capabilities {
  /** False when the server runs without authentication: then everything is allowed. */
  authenticated: boolean
  user: string
  lake(role: Role): boolean
  namespace(name: string, role: Role): boolean
  volume(name: string, role: Role): boolean
}

export const UNRESTRICTED: Capabilities = {
  authenticated: false,
  user: 'anonymous',
  lake: () => true,
  namespace: () => true,
  volume: () => true,
}

/** A user's role somewhere is the highest any grant to them or their groups gives there or on the
 *  lake. A lake admin's grant list holds everyone's grants: only the caller's count. */
export function capabilitiesOf(user: string, groups: string[], grants: Grant[]): Capabilities {
  const principals = new Set([user, ...groups.map((group) => `group:${group}`)])
  const mine = grants.filter((grant) => principals.has(grant.principal))
  const highest = (scope: Grant['scope'], name?: string) => {
    let rank = 0
    for (const grant of mine) {
      const target = scope === 'namespace' ? grant.namespace : grant.volume
      const applies =
        grant.scope === 'lake' ||
        (grant.scope === scope && name !== undefined && target?.toLowerCase() === name.toLowerCase())
      if (applies) rank = Math.max(rank, RANK[grant.role])
    }
    return rank
  }
  return {
    authenticated: true,
    user,
    lake: (role) => highest('lake') >= RANK[role],
    namespace: (name, role) => highest('namespace', name) >= RANK[role],
    volume: (name, role) => highest('volume', name) >= RANK[role],
  }
}
