import { Link, useLocation } from 'react-router'

export default function NotFoundPage() {
  const location = useLocation()
  return (
    <section aria-labelledby="not-found">
      <h1 id="not-found">Page not found</h1>
      <p>
        Nothing lives at <code>{location.pathname}</code>. <Link to="/">Go home</Link>.
      </p>
    </section>
  )
}
