// From a dataset to where it lives in the app: a lake table's page, or an object in its volume.
import { Link } from 'react-router'
import { ErrorMessage } from '../ui/ErrorMessage'
import type { DatasetData } from './graphModel'
import { objectUrl } from '../ui/routes'
import { tableHref, tableOfDataset } from './links'
import { useObjectOfDataset } from './queries'

function ObjectLink({ dataset, nodeId }: { dataset: DatasetData; nodeId: string }) {
  const object = useObjectOfDataset(dataset, nodeId)
  if (object.isPending) return <span className="muted">Finding the object…</span>
  if (object.isError) return <ErrorMessage error={object.error} />
  if (!object.data) return <span className="muted">Not an object of a volume you can read (it may be gone).</span>
  const { volume, key } = object.data
  return <Link to={objectUrl(volume, key)}>Open object {`${volume}/${key}`}</Link>
}

export function PageLink({ dataset, nodeId, kind }: { dataset: DatasetData; nodeId: string; kind: string }) {
  if (dataset.deleted) return <span className="muted">Dropped: no longer in the lake.</span>
  if (kind === 'table') {
    const table = tableOfDataset(dataset.namespace, dataset.name)
    if (table) return <Link to={tableHref(table.namespace, table.table)}>Open table {`${table.namespace}.${table.table}`}</Link>
  }
  if (kind === 'object') return <ObjectLink dataset={dataset} nodeId={nodeId} />
  return null
}
