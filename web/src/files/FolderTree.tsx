// The folders of a volume as a tree beside its listing: a WAI-ARIA tree (one tab stop, arrows move
// and open/close, Home/End, Enter opens the folder's page), open down to the current folder.
//
// A folder's subfolders come from the same paged listing (prefix + '/' delimiter) as its contents,
// sharing the listing's cache. The server rolls each subfolder into one entry, but it sorts the
// folders among the objects: a folder of 100,000 objects may hold a subfolder only on its last page,
// and no request finds the folders alone. So an open folder reads one page (the one its listing
// shows anyway), and says when more may follow; asking reads a few pages more.
import { type KeyboardEvent, type MouseEvent, useEffect, useId, useLayoutEffect, useRef, useState } from 'react'
import { useNavigate } from 'react-router'
import { ErrorMessage } from '../ui/ErrorMessage'
import { formatCount } from '../ui/format'
import { baseName, folderUrl, prefixChain } from './paths'
import { useListing } from '../api/queries'

/** Pages of 1000 entries read by one "Find more folders". */
const MORE_PAGES = 5

/** A tree item's id: the folder's prefix ('' for the volume's root), or the "more" item of one
 *  (keys hold no control characters). */
const moreId = (folder: string) => `${folder}\u0000more`

/** The server's order of keys, by their UTF-8 bytes: code points, where JS compares UTF-16 units. */
function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!
    const y = b.codePointAt(i)!
    if (x !== y) return x - y
    if (x > 0xffff) i++
  }
  return a.length - b.length
}

interface Tree {
  volume: string
  /** The folder the page shows. */
  current: string
  /** The item that takes the tab stop. */
  tabStop: string
  isOpen(folder: string): boolean
  setOpen(folder: string, open: boolean): void
  open(folder: string): void
  focused(id: string): void
}

export function FolderTree({ volume, prefix }: { volume: string; prefix: string }) {
  const navigate = useNavigate()
  const treeRef = useRef<HTMLUListElement>(null)
  // What the user opened or closed; a folder not touched is open when the current one is in it.
  const [toggled, setToggled] = useState(() => new Map<string, boolean>())
  const [focusedId, setFocusedId] = useState<string | null>(null)
  // Going to another folder (by the listing, the breadcrumbs or a link) opens the tree down to it.
  const [shownPrefix, setShownPrefix] = useState(prefix)
  if (shownPrefix !== prefix) {
    setShownPrefix(prefix)
    setToggled((previous) => {
      const next = new Map(previous)
      for (const folder of ['', ...prefixChain(prefix).map((step) => step.prefix)]) {
        if (next.get(folder) === false) next.delete(folder)
      }
      return next
    })
  }

  const tabStop = focusedId ?? prefix
  const isOpen = (folder: string) => toggled.get(folder) ?? prefix.startsWith(folder)
  const setOpen = (folder: string, open: boolean) => {
    setToggled((previous) => new Map(previous).set(folder, open))
    // Closing a folder hides what is in it: the tab stop moves up to the folder.
    if (!open && tabStop !== folder && tabStop.startsWith(folder)) setFocusedId(folder)
  }
  const tree: Tree = {
    volume,
    current: prefix,
    tabStop,
    isOpen,
    setOpen,
    open: (folder) => {
      setOpen(folder, true)
      navigate(folderUrl(volume, folder))
    },
    focused: setFocusedId,
  }

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const item = (event.target as HTMLElement).closest<HTMLElement>('[role="treeitem"]')
    if (!item || !treeRef.current) return
    const items = Array.from(treeRef.current.querySelectorAll<HTMLElement>('[role="treeitem"]'))
    const index = items.indexOf(item)
    const id = item.dataset.id!
    const expanded = item.getAttribute('aria-expanded')
    const actions: Record<string, () => void> = {
      ArrowDown: () => items[index + 1]?.focus(),
      ArrowUp: () => items[index - 1]?.focus(),
      Home: () => items[0]?.focus(),
      End: () => items[items.length - 1]?.focus(),
      ArrowRight: () => {
        if (expanded === 'false') setOpen(id, true)
        else if (expanded === 'true' && items[index + 1] && item.contains(items[index + 1])) items[index + 1].focus()
      },
      ArrowLeft: () => {
        if (expanded === 'true') setOpen(id, false)
        else item.parentElement?.closest<HTMLElement>('[role="treeitem"]')?.focus()
      },
      Enter: () => item.click(),
      ' ': () => item.click(),
    }
    const action = actions[event.key]
    if (action) {
      event.preventDefault()
      action()
    }
  }

  return (
    <nav className="files-tree" aria-labelledby="files-tree-title">
      <h2 id="files-tree-title">Folders</h2>
      <ul ref={treeRef} role="tree" aria-label={`Folders of ${volume}`} onKeyDown={onKeyDown}>
        <FolderItem folder="" level={1} tree={tree} />
      </ul>
    </nav>
  )
}

/** Focus and click handlers of a tree item; the click of an inner item is not its folder's. */
function itemEvents(tree: Tree, id: string, activate: () => void) {
  return {
    'data-id': id,
    tabIndex: id === tree.tabStop ? 0 : -1,
    onFocus: (event: { target: EventTarget; currentTarget: EventTarget }) => {
      if (event.target === event.currentTarget) tree.focused(id)
    },
    onClick: (event: MouseEvent) => {
      event.stopPropagation()
      tree.focused(id)
      activate()
    },
  }
}

function FolderItem({ folder, level, tree }: { folder: string; level: number; tree: Tree }) {
  const open = tree.isOpen(folder)
  const name = folder === '' ? tree.volume : baseName(folder)
  const current = folder === tree.current
  const nameId = useId()
  return (
    <li
      role="treeitem"
      aria-level={level}
      aria-expanded={open}
      aria-selected={current}
      // Named by the text shown (not aria-label), so what a reader hears is what is on screen.
      aria-labelledby={nameId}
      {...itemEvents(tree, folder, () => tree.open(folder))}
    >
      <span className={`files-tree-row${current ? ' current' : ''}`}>
        <span
          className="files-tree-twisty"
          aria-hidden="true"
          onClick={(event) => {
            event.stopPropagation()
            tree.setOpen(folder, !open)
          }}
        >
          {open ? '▾' : '▸'}
        </span>
        <span id={nameId}>{name}</span>
      </span>
      {open && <FolderGroup folder={folder} name={name} level={level + 1} tree={tree} />}
    </li>
  )
}

/** An open folder's subfolders, read a page at a time. */
function FolderGroup({ folder, name, level, tree }: { folder: string; name: string; level: number; tree: Tree }) {
  const listing = useListing(tree.volume, folder)
  const pages = listing.data?.pages ?? []
  const pageCount = pages.length
  // Pages this tree reads: one, then more when asked; back to one after the listing was cut back
  // to its first page by a change, so a change does not set off a long read again.
  const [wanted, setWanted] = useState(1)
  const [heldPages, setHeldPages] = useState(pageCount)
  if (heldPages !== pageCount) {
    setHeldPages(pageCount)
    if (pageCount < heldPages) setWanted(1)
  }

  const { hasNextPage, isFetching, isFetchNextPageError, fetchNextPage } = listing
  useEffect(() => {
    // Not while the listing is fetched again: the next page would follow the old page's cursor.
    if (hasNextPage && !isFetching && !isFetchNextPageError && pageCount < wanted) {
      void fetchNextPage({ cancelRefetch: false })
    }
  }, [hasNextPage, isFetching, isFetchNextPageError, pageCount, wanted, fetchNextPage])

  const folders = pages.flatMap((page) => page.folders)
  // The way down to the current folder is shown even before (or without) the listing naming it: it
  // may be on a page not read yet, or be a new folder with nothing in it yet.
  if (tree.current !== folder && tree.current.startsWith(folder)) {
    const step = tree.current.slice(0, tree.current.indexOf('/', folder.length) + 1)
    if (!folders.includes(step)) {
      const at = folders.findIndex((other) => compareKeys(other, step) > 0)
      folders.splice(at < 0 ? folders.length : at, 0, step)
    }
  }
  const read = pages.reduce((sum, page) => sum + page.folders.length + page.objects.length, 0)
  const reading = isFetching && pageCount < wanted

  // The item with the tab stop in this group went away (its folder deleted, the last "more" read):
  // the stop goes up to this folder, and so does the focus if it went with the item.
  const groupRef = useRef<HTMLUListElement>(null)
  const stop = tree.tabStop
  const stopGone =
    listing.isSuccess &&
    (stop === moreId(folder)
      ? !hasNextPage
      : stop !== folder && stop.startsWith(folder) && !folders.includes(stop.slice(0, stop.indexOf('/', folder.length) + 1)))
  const { focused } = tree
  useLayoutEffect(() => {
    if (!stopGone) return
    focused(folder)
    if (document.activeElement === document.body || document.activeElement === null) {
      groupRef.current?.closest<HTMLElement>('[role="treeitem"]')?.focus()
    }
  }, [stopGone, focused, folder])

  return (
    <ul ref={groupRef} role="group">
      {folders.map((child) => (
        <FolderItem key={child} folder={child} level={level} tree={tree} />
      ))}
      {listing.isPending && (
        <li role="none" className="muted files-tree-note">
          Loading…
        </li>
      )}
      {listing.isSuccess && folders.length === 0 && !hasNextPage && (
        <li role="none" className="muted files-tree-note">
          No folders
        </li>
      )}
      {listing.isError && (
        <li role="none">
          <ErrorMessage error={listing.error} />
        </li>
      )}
      {hasNextPage && (
        <li
          role="treeitem"
          aria-level={level}
          aria-busy={reading}
          aria-label={
            reading ? `Looking for more folders in ${name}` : `Find more folders in ${name} (${formatCount(read)} entries read)`
          }
          {...itemEvents(tree, moreId(folder), () => {
            if (reading) return
            setWanted(pageCount + MORE_PAGES)
            // After a failed page the reading stopped: this is the retry.
            if (isFetchNextPageError) void fetchNextPage({ cancelRefetch: false })
          })}
        >
          <span className="files-tree-row files-tree-more">
            {reading ? 'Looking for more folders…' : 'Find more folders'}{' '}
            <span className="muted">({formatCount(read)} entries read)</span>
          </span>
        </li>
      )}
    </ul>
  )
}
