import { describe, expect, it } from 'vitest'
import type { Schemas } from '../api/client'
import { datasetOfField, lineageHref, objectCandidates, tableOfDataset } from './links'
import { objectUrl } from '../ui/routes'

const volume = (name: string, bucket: string | null = null) => ({ name, bucket }) as Schemas['Volume']

describe('lineage links', () => {
  it('maps a lake dataset to its table', () => {
    expect(tableOfDataset('ducklake://default', 'sales.orders')).toEqual({ namespace: 'sales', table: 'orders' })
    expect(tableOfDataset('ducklake://prod', 'a_1._b')).toEqual({ namespace: 'a_1', table: '_b' })
    expect(tableOfDataset('postgres://db:5432', 'sales.orders')).toBeNull()
    expect(tableOfDataset('ducklake://default', 'shop.public.orders')).toBeNull()
  })

  it('finds the volume object a stored path names', () => {
    const volumes = [volume('raw'), volume('lake'), volume('own', 'own-bucket')]
    expect(objectCandidates('file', '/var/lib/ducklake/objects/volumes/raw/2026/11/orders.csv', volumes)).toEqual([
      { volume: 'raw', key: '2026/11/orders.csv' },
    ])
    // The store's own path holds "volumes/" too: every split naming a volume, leftmost first.
    expect(objectCandidates('file', '/srv/volumes/lake/objects/volumes/raw/a.csv', volumes)).toEqual([
      { volume: 'lake', key: 'objects/volumes/raw/a.csv' },
      { volume: 'raw', key: 'a.csv' },
    ])
    // A key that holds "volumes/" keeps it.
    expect(objectCandidates('s3://lake', 'prefix/volumes/raw/volumes/raw/x', volumes)[0]).toEqual({
      volume: 'raw',
      key: 'volumes/raw/x',
    })
    expect(objectCandidates('s3://own-bucket', 'a/b.parquet', volumes)).toEqual([{ volume: 'own', key: 'a/b.parquet' }])
    expect(objectCandidates('file', '/data/myvolumes/raw/x', volumes)).toEqual([])
    expect(objectCandidates('file', '/data/volumes/gone/x', volumes)).toEqual([])
    expect(objectCandidates('ducklake://default', 'volumes/raw/x', volumes)).toEqual([])
  })

  it('writes the URLs of the pages', () => {
    expect(lineageHref('dataset:ducklake://default:sales.orders', 3)).toBe(
      '/lineage?node=dataset%3Aducklake%3A%2F%2Fdefault%3Asales.orders&depth=3',
    )
    expect(objectUrl('raw', '2026/11/a b#.csv')).toBe('/files/raw/2026/11/?object=2026%2F11%2Fa+b%23.csv')
    expect(objectUrl('raw', 'top.csv')).toBe('/files/raw/?object=top.csv')
  })

  it("finds the dataset of a field node, whatever ':' its namespace and name hold", () => {
    expect(datasetOfField('datasetField:ducklake://default:sales.orders:total')).toBe('dataset:ducklake://default:sales.orders')
    expect(datasetOfField('datasetField:postgres://db:5432:shop.orders:id')).toBe('dataset:postgres://db:5432:shop.orders')
    expect(datasetOfField('datasetField:file:/data/a:b.csv:amount')).toBe('dataset:file:/data/a:b.csv')
    // Not a field node, or one missing its namespace, dataset or field.
    for (const id of [
      'dataset:ducklake://default:sales.orders',
      'job:ducklake://default:insert.sales.orders',
      'datasetField:sales.orders',
      'datasetField:ducklake://default:sales.orders:',
      'datasetField::total',
      'datasetField:ns::total',
      'datasetField:',
    ]) {
      expect(datasetOfField(id)).toBeNull()
    }
  })
})
