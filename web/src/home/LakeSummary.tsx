// What the lake holds: namespaces, tables, volumes, and the objects in them, as counts and a
// table of the volumes.
import { useQueries } from '@tanstack/react-query'
import { Link } from 'react-router'
import { useNamespaces, useVolumes, volumeQuery } from '../api/queries'
import { ErrorMessage } from '../ui/ErrorMessage'
import { formatBytes, formatCount } from '../ui/format'

function Card({ label, value, title }: { label: string; value: string; title?: string }) {
  const id = `home-card-${label.toLowerCase().replace(/\W+/g, '-')}`
  return (
    <div className="card" role="group" aria-labelledby={id}>
      <div id={id} className="muted">
        {label}
      </div>
      <div className="value" title={title}>
        {value}
      </div>
    </div>
  )
}

const PENDING = '…'
const UNKNOWN = '—'

export function LakeSummary() {
  const namespaces = useNamespaces()
  const volumes = useVolumes()
  const volumeList = volumes.data?.volumes
  const descriptions = useQueries({ queries: (volumeList ?? []).map((volume) => volumeQuery(volume.name)) })
  // A volume that could not be described leaves the totals unknown ("—"), its error shown below.
  const settled = !volumes.isPending && descriptions.every((query) => !query.isPending)
  const described = settled && volumes.isSuccess && descriptions.every((query) => query.isSuccess)
  const objects = descriptions.reduce((sum, query) => sum + (query.data?.object_count ?? 0), 0)
  const bytes = descriptions.reduce((sum, query) => sum + (query.data?.size_bytes ?? 0), 0)
  const failedVolume = descriptions.find((query) => query.isError)

  const count = <T,>(query: { isPending: boolean; data?: T }, value: (data: T) => number) =>
    query.isPending ? PENDING : query.data === undefined ? UNKNOWN : formatCount(value(query.data))
  const total = (text: string) => (!settled ? PENDING : described ? text : UNKNOWN)
  return (
    <section aria-labelledby="home-lake">
      <h2 id="home-lake">Lake</h2>
      <div className="cards">
        <Card label="Namespaces" value={count(namespaces, (body) => body.namespaces.length)} />
        <Card
          label="Tables"
          value={count(namespaces, (body) => body.namespaces.reduce((sum, namespace) => sum + namespace.table_count, 0))}
        />
        <Card label="Volumes" value={count(volumes, (body) => body.volumes.length)} />
        <Card label="Objects" value={total(formatCount(objects))} />
        <Card
          label="Object bytes"
          value={total(formatBytes(bytes))}
          title={described ? `${formatCount(bytes)} bytes` : undefined}
        />
      </div>
      <p className="muted">Counting what you may read.</p>
      {namespaces.isError && <ErrorMessage error={namespaces.error} />}
      {volumes.isError && <ErrorMessage error={volumes.error} />}
      {failedVolume && <ErrorMessage error={failedVolume.error} />}
      {volumeList && volumeList.length > 0 && (
        <table className="home-volumes" aria-label="Volumes">
          <thead>
            <tr>
              <th scope="col">Volume</th>
              <th scope="col" className="numeric">Objects</th>
              <th scope="col" className="numeric">Size</th>
            </tr>
          </thead>
          <tbody>
            {volumeList.map((volume, index) => {
              const query = descriptions[index]
              const description = query?.data
              const missing = query?.isError ? UNKNOWN : PENDING
              return (
                <tr key={volume.name}>
                  <th scope="row">
                    <Link to={`/files/${encodeURIComponent(volume.name)}`}>{volume.name}</Link>
                  </th>
                  <td className="numeric">{description ? formatCount(description.object_count) : missing}</td>
                  <td className="numeric" title={description ? `${formatCount(description.size_bytes)} bytes` : undefined}>
                    {description ? formatBytes(description.size_bytes) : missing}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </section>
  )
}
