// The Tables section: /tables (namespaces), /tables/{ns} (its tables), /tables/{ns}/{table} (one
// table). The namespace tree is beside each; ?ingest=1 opens the ingest wizard over any of them,
// with &volume=…&key=… preselecting a volume object (the Files page's "Load into table").
import { useNavigate, useParams, useSearchParams } from 'react-router'
import { IngestWizard } from './IngestWizard'
import { NamespaceList } from './NamespaceList'
import { NamespaceTree, tablePath } from './NamespaceTree'
import { NamespaceView } from './NamespaceView'
import { TableView, type IngestedState } from './TableView'
import './tables.css'

const INGEST_PARAMS = ['ingest', 'volume', 'key']

export default function TablesPage() {
  const { namespace, table } = useParams()
  const [params, setParams] = useSearchParams()
  const navigate = useNavigate()
  const ingesting = params.get('ingest') === '1'

  const openIngest = () =>
    setParams((previous) => {
      const next = new URLSearchParams(previous)
      next.set('ingest', '1')
      return next
    })
  const closeIngest = () =>
    setParams((previous) => {
      const next = new URLSearchParams(previous)
      for (const name of INGEST_PARAMS) next.delete(name)
      return next
    })

  return (
    <div className="split tables-page">
      <NamespaceTree ns={namespace} table={table} />
      <div className="tables-content">
        {namespace === undefined ? (
          <NamespaceList onIngest={openIngest} />
        ) : table === undefined ? (
          <NamespaceView key={namespace} ns={namespace} onIngest={openIngest} />
        ) : (
          <TableView key={`${namespace}.${table}`} ns={namespace} table={table} onIngest={openIngest} />
        )}
      </div>
      {ingesting && (
        <IngestWizard
          start={{
            ns: namespace,
            table,
            volume: params.get('volume') ?? undefined,
            objectKey: params.get('key') ?? undefined,
          }}
          onClose={closeIngest}
          onDone={(ns, name, result) => navigate(tablePath(ns, name), { state: { ingested: result } satisfies IngestedState })}
        />
      )}
    </div>
  )
}
