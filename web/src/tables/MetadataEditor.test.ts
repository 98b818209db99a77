import { describe, expect, it } from 'vitest'
import type { Schemas } from '../api/client'
import { metadataUpdate } from './MetadataEditor'

const table = {
  namespace: 'sales',
  name: 'orders',
  comment: 'Orders',
  tags: { owner: 'finance' },
  columns: [
    { id: 1, name: 'id', type: 'int64', nullable: true, comment: null },
    { id: 2, name: 'amount', type: 'float64', nullable: true, comment: 'EUR' },
  ],
} as unknown as Schemas['Table']

const tag = (name: string, value: string) => ({ id: Math.random(), name, value })

describe('the comments and tags PATCH', () => {
  it('carries only what changed', () => {
    expect(metadataUpdate(table, 'Orders', [tag('owner', 'finance')], { id: '', amount: 'EUR' })).toEqual({ update: {} })
    expect(metadataUpdate(table, '  ', [tag('owner', 'finance')], { id: 'key', amount: 'EUR' })).toEqual({
      update: { comment: null, columns: { id: { comment: 'key' } } },
    })
    expect(metadataUpdate(table, 'Orders', [], { amount: '' })).toEqual({ update: { tags: {}, columns: { amount: { comment: null } } } })
    expect(metadataUpdate(table, 'Orders', [tag(' owner ', 'ops')], { amount: 'EUR' })).toEqual({ update: { tags: { owner: 'ops' } } })
  })

  it('refuses tags the server would refuse, before sending', () => {
    expect(metadataUpdate(table, '', [tag('', 'x')], {})).toEqual({ problem: 'Every tag needs a name.' })
    expect(metadataUpdate(table, '', [tag('Comment', 'x')], {})).toHaveProperty('problem')
    expect(metadataUpdate(table, '', [tag('a', '1'), tag('a', '2')], {})).toEqual({ problem: 'Two tags have the same name.' })
  })
})
