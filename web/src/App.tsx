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

function RouteError() {
  return (
    <main className="page">
      <ErrorMessage error={useRouteError()} />
    </main>
  )
}

const page = (load: () => Promise<{ default: React.ComponentType }>) => async () => ({ Component: (await load()).default })

export const routes = [
  {
    element: <Layout />,
    errorElement: <RouteError />,
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
