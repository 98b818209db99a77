import { useState, useSyncExternalStore, type FormEvent } from 'react'
import { Link, NavLink, Outlet, useNavigate } from 'react-router'
import { useSession } from '../auth/AuthProvider'
import { formatCount } from './format'
import { uploadActivity } from './uploadActivity'

const SECTIONS = [
  { to: '/', label: 'Home', end: true },
  { to: '/files', label: 'Files' },
  { to: '/tables', label: 'Tables' },
  { to: '/sql', label: 'SQL' },
  { to: '/lineage', label: 'Lineage' },
]

/** The frame of every page: navigation, the search box, who is signed in. */
export function Layout() {
  const { capabilities, signOut } = useSession()
  const navigate = useNavigate()
  const [query, setQuery] = useState('')
  const uploading = useSyncExternalStore(uploadActivity.subscribe, uploadActivity.getSnapshot)

  const search = (event: FormEvent) => {
    event.preventDefault()
    if (query.trim()) navigate(`/search?q=${encodeURIComponent(query.trim())}`)
  }

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <span className="brand" aria-hidden="true">
          DuckLake
        </span>
        <nav aria-label="Sections">
          {SECTIONS.map((section) => (
            <NavLink key={section.to} to={section.to} end={section.end}>
              {section.label}
            </NavLink>
          ))}
        </nav>
        <form role="search" onSubmit={search} className="app-search">
          <input
            type="search"
            aria-label="Search tables, columns, objects and jobs"
            placeholder="Search tables, columns, objects, jobs"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
        </form>
        {uploading > 0 && (
          <span role="status" className="app-uploads">
            <Link to="/files">
              Uploading {formatCount(uploading)} {uploading === 1 ? 'file' : 'files'}
            </Link>
          </span>
        )}
        {capabilities.authenticated && (
          <div className="who">
            <span>{capabilities.user}</span>
            <button type="button" onClick={signOut}>
              Sign out
            </button>
          </div>
        )}
      </header>
      <main id="main" className="page" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  )
}
