import { describe, expect, it } from 'vitest'
import { capabilitiesOf } from './capabilities'
import type { Schemas } from '../api/client'

const grant = (principal: string, role: Schemas['Role'], scope: 'lake' | 'namespace' | 'volume', name?: string) =>
  ({
    id: '0000000000000000',
    principal,
    role,
    scope,
    ...(scope === 'namespace' ? { namespace: name } : scope === 'volume' ? { volume: name } : {}),
    created_by: 'admin',
    created_at: '2026-12-06T00:00:00.000Z',
  }) as Schemas['GrantInfo']

describe('capabilitiesOf', () => {
  it('takes the highest role from the user, their groups and the lake', () => {
    const can = capabilitiesOf('rita', ['finance'], [
      grant('rita', 'reader', 'namespace', 'sales'),
      grant('group:finance', 'writer', 'namespace', 'Sales'),
      grant('group:ops', 'admin', 'lake'),
      grant('rita', 'writer', 'volume', 'raw'),
    ])
    expect(can.namespace('sales', 'writer')).toBe(true)
    expect(can.namespace('SALES', 'admin')).toBe(false)
    expect(can.namespace('hr', 'reader')).toBe(false)
    expect(can.volume('raw', 'writer')).toBe(true)
    expect(can.volume('raw', 'admin')).toBe(false)
    expect(can.lake('reader')).toBe(false)
  })

  it('lets a role on the lake count everywhere', () => {
    const can = capabilitiesOf('rita', [], [grant('rita', 'reader', 'lake')])
    expect(can.namespace('anything', 'reader')).toBe(true)
    expect(can.volume('anything', 'reader')).toBe(true)
    expect(can.volume('anything', 'writer')).toBe(false)
  })
})
