import { QueryClientProvider } from '@tanstack/react-query'
import { render, screen } from '@testing-library/react'
import { createMemoryRouter, RouterProvider } from 'react-router'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { renderAt } from '../test/render'
import { makeQueryClient, routes } from './App'
import { AuthProvider } from './auth/AuthProvider'

/** The app at `path`, with the page at `path` loaded by `lazy` instead. */
function renderWithPage(path: string, lazy: () => Promise<{ Component: React.ComponentType }>) {
  const [frame] = routes
  const [pages] = frame.children
  const patched = [
    { ...frame, children: [{ ...pages, children: pages.children.map((route) => (route.path === path ? { path, lazy } : route)) }] },
  ]
  render(
    <QueryClientProvider client={makeQueryClient()}>
      <AuthProvider>
        <RouterProvider router={createMemoryRouter(patched, { initialEntries: [path] })} />
      </AuthProvider>
    </QueryClientProvider>,
  )
}

describe('App', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('opens a page by its URL, inside the frame', async () => {
    renderAt('/no/such/page')
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument()
    expect(screen.getByRole('navigation', { name: 'Sections' })).toBeInTheDocument()
    expect(screen.getByRole('searchbox', { name: /Search tables/ })).toBeInTheDocument()
  })

  it('shows a failing page inside the frame', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    renderWithPage('/sql', async () => ({
      Component: () => {
        throw new Error('the page broke')
      },
    }))
    expect(await screen.findByRole('alert')).toHaveTextContent('the page broke')
    expect(screen.getByRole('navigation', { name: 'Sections' })).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Reload' })).not.toBeInTheDocument()
  })

  it('offers to reload when a page of an older deploy cannot be loaded', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    renderWithPage('/sql', () =>
      Promise.reject(new TypeError('Failed to fetch dynamically imported module: /assets/SqlPage-0ld.js')),
    )
    expect(await screen.findByRole('alert')).toHaveTextContent('Failed to fetch dynamically imported module')
    expect(screen.getByRole('button', { name: 'Reload' })).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'SQL' })).toBeInTheDocument()
  })

  it('works where the browser refuses site data', async () => {
    const blocked = () => {
      throw new DOMException('The operation is insecure.', 'SecurityError')
    }
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(blocked)
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(blocked)
    vi.spyOn(Storage.prototype, 'removeItem').mockImplementation(blocked)
    renderAt('/')
    expect(await screen.findByRole('heading', { level: 1, name: 'Home' })).toBeInTheDocument()
  })
})
