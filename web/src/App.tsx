// The app's pages and their URLs. Each page is its own chunk, loaded when first visited, so the
// first load carries only the frame (the editor, the grid and the graph come with their pages).
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { useState } from 'react'
import { createBrowserRouter, RouterProvider, useRouteError } from 'react-router'
import { ApiError } from './api/client'
import { AuthProvider } from './auth/AuthProvider'
import { ErrorMessage } from './ui/ErrorMessage'
import { Layout } from './ui/Layout'

export const makeQueryClient = () => new QueryClient({
  defaultOptions: {
    queries: {
      // A refused request (4xx) will not succeed on retry; a lost connection may.
      retry: (failures, error) => failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      staleTime: 5_000,
      refetchOnWindowFocus: false,
    },
  },
})

// What browsers say when a page's chunk cannot be loaded: after a deploy the old hashed chunks are
// gone, and only loading the app again fetches the new ones.
const STALE_CHUNK = /dynamically imported module|Importing a module script failed|Unable to preload CSS/i

function RouteError({ framed }: { framed: boolean }) {
  const error = useRouteError()
  const stale = error instanceof Error && STALE_CHUNK.test(error.message)
  const content = (
    <>
      {stale && <p>This page could not be loaded, most likely because DuckLake was updated since you opened it.</p>}
      <ErrorMessage error={error} />
      {stale && (
        <button type="button" onClick={() => window.location.reload()}>
          Reload
        </button>
      )}
    </>
  )
  // Inside the frame, the page's <main> is already there.
  return framed ? content : <main className="page">{content}</main>
}

const page = (load: () => Promise<{ default: React.ComponentType }>) => async () => ({ Component: (await load()).default })

export const routes = [
  {
    element: <Layout />,
    errorElement: <RouteError framed={false} />,
    children: [
      {
        // A failing page shows its error inside the frame, so the navigation stays.
        errorElement: <RouteError framed />,
        children: [
          { path: '/', lazy: page(() => import('./home/HomePage')) },
          { path: '/files', lazy: page(() => import('./files/FilesPage')) },
          { path: '/files/:volume/*', lazy: page(() => import('./files/FilesPage')) },
          { path: '/tables', lazy: page(() => import('./tables/TablesPage')) },
          { path: '/tables/:namespace', lazy: page(() => import('./tables/TablesPage')) },
          { path: '/tables/:namespace/:table', lazy: page(() => import('./tables/TablesPage')) },
          { path: '/sql', lazy: page(() => import('./sql/SqlPage')) },
          { path: '/lineage', lazy: page(() => import('./lineage/LineagePage')) },
          { path: '/search', lazy: page(() => import('./search/SearchPage')) },
          { path: '*', lazy: page(() => import('./ui/NotFoundPage')) },
        ],
      },
    ],
  },
]

export default function App() {
  const [queryClient] = useState(makeQueryClient)
  const [router] = useState(() => createBrowserRouter(routes))
  return (
    <QueryClientProvider client={queryClient}>
      <AuthProvider>
        <RouterProvider router={router} />
      </AuthProvider>
    </QueryClientProvider>
  )
}
