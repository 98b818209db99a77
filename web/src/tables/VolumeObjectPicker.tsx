// Picks the volume object an ingest reads: a volume, then folders down to an object.
import { useInfiniteQuery } from '@tanstack/react-query'
import { useId, useState } from 'react'
import { listingQuery, useVolumes } from '../api/queries'
import { ErrorMessage } from '../ui/ErrorMessage'
import { formatBytes } from '../ui/format'

const folderOf = (key: string) => key.slice(0, key.lastIndexOf('/') + 1)

export function VolumeObjectPicker({
  volume,
  objectKey,
  onChange,
}: {
  volume: string
  objectKey: string
  onChange(volume: string, key: string): void
}) {
  const volumeId = useId()
  const [prefix, setPrefix] = useState(() => folderOf(objectKey))
  const volumes = useVolumes()
  const listing = useInfiniteQuery({ ...listingQuery(volume, prefix), enabled: volume !== '' })
  const folders = listing.data?.pages.flatMap((page) => page.folders) ?? []
  const objects = listing.data?.pages.flatMap((page) => page.objects) ?? []
  const parent = prefix === '' ? null : folderOf(prefix.slice(0, -1))

  return (
    <div className="object-picker">
      <div className="toolbar">
        <label htmlFor={volumeId}>Volume</label>
        <select
          id={volumeId}
          value={volume}
          onChange={(event) => {
            setPrefix('')
            onChange(event.target.value, '')
          }}
        >
          <option value="">choose a volume</option>
          {/* A volume from the URL shows even before (or without) the listing. */}
          {volume !== '' && !volumes.data?.volumes.some((entry) => entry.name === volume) && <option value={volume}>{volume}</option>}
          {volumes.data?.volumes.map((entry) => (
            <option key={entry.name} value={entry.name}>
              {entry.name}
            </option>
          ))}
        </select>
      </div>
      {volumes.isError && <ErrorMessage error={volumes.error} />}
      {volume !== '' && (
        <>
          <p className="picked" aria-live="polite">
            {objectKey ? (
              <>
                Selected: <code>{volume}/{objectKey}</code>
              </>
            ) : (
              <span className="muted">No object selected.</span>
            )}
          </p>
          <fieldset className="object-list">
            <legend>
              Objects in <code>{volume}/{prefix}</code>
            </legend>
            {parent !== null && (
              <button type="button" className="link-button" onClick={() => setPrefix(parent)}>
                Up to {parent === '' ? 'the top' : parent}
              </button>
            )}
            {listing.isPending && <p className="muted">Loading…</p>}
            {listing.isError && <ErrorMessage error={listing.error} />}
            {listing.isSuccess && folders.length === 0 && objects.length === 0 && <p className="muted">Nothing here.</p>}
            <ul>
              {folders.map((folder) => (
                <li key={folder}>
                  <button type="button" className="link-button" onClick={() => setPrefix(folder)} aria-label={`Open folder ${folder}`}>
                    📁 {folder.slice(prefix.length)}
                  </button>
                </li>
              ))}
              {objects.map((object) => (
                <li key={object.key}>
                  <label className="checkbox">
                    <input
                      type="radio"
                      name="ingest-object"
                      value={object.key}
                      checked={object.key === objectKey}
                      onChange={() => onChange(volume, object.key)}
                    />
                    {object.key.slice(prefix.length)} <span className="muted">({formatBytes(object.size)})</span>
                  </label>
                </li>
              ))}
            </ul>
            {listing.hasNextPage && (
              <button type="button" onClick={() => void listing.fetchNextPage()} disabled={listing.isFetchingNextPage}>
                More objects
              </button>
            )}
          </fieldset>
        </>
      )}
    </div>
  )
}
