// A folder's contents as a grid: folders first, then objects, in key order. Only the rows on
// screen are in the DOM, and the next page of the listing is fetched before the user scrolls to
// its end, so a folder of 100,000 objects scrolls like one of 100.
import { useQueryClient } from '@tanstack/react-query'
import { useVirtualizer } from '@tanstack/react-virtual'
import {
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type RefObject,
} from 'react'
import { Link, useNavigate } from 'react-router'
import { trimStaleListing, useListing } from '../api/queries'
import { ErrorMessage } from '../ui/ErrorMessage'
import { formatBytes, formatCount, formatTime } from '../ui/format'
import { folderUrl, parentPrefix } from './paths'
import type { StoredObject } from './queries'

type Entry = { kind: 'folder'; prefix: string } | { kind: 'object'; object: StoredObject }

const ROW_HEIGHT = 32
/** Fetch the next page once the last row on screen is this close to the end of what is loaded. */
const LOAD_AHEAD = 200

interface Props {
  volume: string
  prefix: string
  selectedKey?: string
  /** Asked by the Delete key on an object row; absent when the caller may not delete. */
  onDelete?(object: StoredObject): void
  /** Shown in an empty folder. */
  emptyHint?: string
}

export function Listing({ volume, prefix, selectedKey, onDelete, emptyHint }: Props) {
  const queryClient = useQueryClient()
  // Once per folder shown (the listing is remounted for each), before its query is read.
  useState(() => trimStaleListing(queryClient, volume, prefix))
  const listing = useListing(volume, prefix)
  const navigate = useNavigate()
  const gridId = useId()
  const scrollRef = useRef<HTMLDivElement>(null)
  const height = useAvailableHeight(scrollRef, !listing.isPending)
  // The row the keyboard is on: the selected object's until the user moves.
  const [active, setActive] = useState<number | null>(null)

  const { entries, folderCount } = useMemo(() => {
    // Folders of later pages join the folders already shown, above the objects.
    const folders: Entry[] = []
    const objects: Entry[] = []
    for (const page of listing.data?.pages ?? []) {
      for (const folder of page.folders) folders.push({ kind: 'folder', prefix: folder })
      for (const object of page.objects) objects.push({ kind: 'object', object })
    }
    return { entries: folders.concat(objects), folderCount: folders.length }
  }, [listing.data])

  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 15,
    initialRect: { width: 800, height },
  })
  const items = virtualizer.getVirtualItems()
  const lastShown = items.length > 0 ? items[items.length - 1].index : -1

  const { hasNextPage, isFetching, isFetchingNextPage, isFetchNextPageError, fetchNextPage } = listing
  useEffect(() => {
    // After a failed page, wait for "Load more" instead of asking again and again. While the first
    // page is fetched again (after a change), the next one would follow the old page's cursor.
    if (hasNextPage && !isFetching && !isFetchNextPageError && lastShown >= entries.length - LOAD_AHEAD) {
      void fetchNextPage()
    }
  }, [hasNextPage, isFetching, isFetchNextPageError, fetchNextPage, lastShown, entries.length])

  const selectedIndex = useMemo(
    () => (selectedKey === undefined ? -1 : entries.findIndex((entry) => entry.kind === 'object' && entry.object.key === selectedKey)),
    [entries, selectedKey],
  )
  const current = Math.min(active ?? Math.max(0, selectedIndex), Math.max(0, entries.length - 1))
  const rowId = (index: number) => `${gridId}-row-${index}`
  const urlOf = (entry: Entry) =>
    entry.kind === 'folder' ? folderUrl(volume, entry.prefix) : folderUrl(volume, prefix, entry.object.key)

  const move = (index: number) => {
    const next = Math.max(0, Math.min(entries.length - 1, index))
    setActive(next)
    virtualizer.scrollToIndex(next)
  }

  const onKeyDown = (event: KeyboardEvent) => {
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1)
    const entry = entries[current]
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(current + 1),
      ArrowUp: () => move(current - 1),
      PageDown: () => move(current + page),
      PageUp: () => move(current - page),
      Home: () => move(0),
      End: () => move(entries.length - 1),
      Enter: () => entry && navigate(urlOf(entry)),
      Backspace: () => prefix && navigate(folderUrl(volume, parentPrefix(prefix))),
      Delete: () => entry?.kind === 'object' && onDelete?.(entry.object),
    }
    const action = keys[event.key]
    if (action) {
      event.preventDefault()
      action()
    }
  }

  const onRowClick = (event: MouseEvent, index: number) => {
    setActive(index)
    // The name's link handled the click itself, or the browser opens it elsewhere (ctrl-click).
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return
    navigate(urlOf(entries[index]))
  }

  if (listing.isPending) return <p role="status">Loading the folder…</p>
  if (listing.isError && entries.length === 0) return <ErrorMessage error={listing.error} />

  const objectCount = entries.length - folderCount
  return (
    <div className="files-listing">
      <div
        ref={scrollRef}
        role="grid"
        aria-label={`Contents of ${volume}/${prefix}`}
        aria-rowcount={hasNextPage ? -1 : entries.length + 1}
        aria-colcount={4}
        aria-activedescendant={entries.length > 0 ? rowId(current) : undefined}
        aria-keyshortcuts={onDelete ? 'Enter Backspace Delete' : 'Enter Backspace'}
        tabIndex={0}
        className="files-grid"
        onKeyDown={onKeyDown}
        style={{ height, overflow: 'auto' }}
      >
        <div role="rowgroup" className="files-grid-head">
          <div role="row" aria-rowindex={1} className="files-row">
            <div role="columnheader">Name</div>
            <div role="columnheader" className="numeric">
              Size
            </div>
            <div role="columnheader">Type</div>
            <div role="columnheader">Modified</div>
          </div>
        </div>
        <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const entry = entries[item.index]
            const selected = entry.kind === 'object' && entry.object.key === selectedKey
            return (
              <div
                key={item.key}
                id={rowId(item.index)}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={selected}
                className={`files-row${item.index === current ? ' active' : ''}${selected ? ' selected' : ''}`}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                onClick={(event) => onRowClick(event, item.index)}
              >
                {entry.kind === 'folder' ? (
                  <>
                    <div role="gridcell" className="files-name">
                      <FolderIcon />
                      <Link to={urlOf(entry)} tabIndex={-1}>
                        {entry.prefix.slice(prefix.length)}
                      </Link>
                    </div>
                    <div role="gridcell" className="numeric muted">
                      —
                    </div>
                    <div role="gridcell" className="muted">
                      Folder
                    </div>
                    <div role="gridcell" />
                  </>
                ) : (
                  <>
                    <div role="gridcell" className="files-name">
                      <FileIcon />
                      <Link to={urlOf(entry)} tabIndex={-1}>
                        {entry.object.key.slice(prefix.length)}
                      </Link>
                    </div>
                    <div role="gridcell" className="numeric">
                      {formatBytes(entry.object.size)}
                    </div>
                    <div role="gridcell" className="files-type">
                      {entry.object.content_type}
                    </div>
                    <div role="gridcell">{formatTime(entry.object.modified_at)}</div>
                  </>
                )}
              </div>
            )
          })}
        </div>
        {entries.length === 0 && (
          <p className="files-empty">
            This folder is empty.{emptyHint ? ` ${emptyHint}` : ''}
          </p>
        )}
      </div>
      <div className="files-listing-foot">
        <p role="status" className="muted">
          {formatCount(folderCount)} {folderCount === 1 ? 'folder' : 'folders'}, {formatCount(objectCount)}{' '}
          {objectCount === 1 ? 'object' : 'objects'}
          {hasNextPage ? (isFetchingNextPage ? ', loading more…' : ', more as you scroll') : ''}
        </p>
        {isFetchNextPageError && (
          <>
            <ErrorMessage error={listing.error} />
            <button type="button" onClick={() => void fetchNextPage()}>
              Load more
            </button>
          </>
        )}
      </div>
    </div>
  )
}

/** The height that fills the window below the element (at least 280 px), kept up on resize. The
 *  virtualiser needs a number: it shows the rows that fit. */
function useAvailableHeight(ref: RefObject<HTMLElement | null>, mounted: boolean): number {
  const [height, setHeight] = useState(480)
  useLayoutEffect(() => {
    const measure = () => {
      const top = ref.current?.getBoundingClientRect().top ?? 0
      setHeight(Math.max(280, Math.round(window.innerHeight - Math.max(0, top) - 64)))
    }
    measure()
    window.addEventListener('resize', measure)
    return () => window.removeEventListener('resize', measure)
  }, [ref, mounted])
  return height
}

function FolderIcon() {
  return (
    <svg className="files-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
      <path d="M1.5 3.5h5l1.5 1.5h6.5v8h-13z" fill="currentColor" opacity="0.85" />
    </svg>
  )
}

function FileIcon() {
  return (
    <svg className="files-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
      <path d="M3.5 1.5h6l3 3v10h-9z" fill="none" stroke="currentColor" strokeWidth="1.2" />
    </svg>
  )
}
