// Whether the server is up (/healthz) and ready (/readyz: its metadata catalog and object store).
import { ErrorMessage } from '../ui/ErrorMessage'
import { useHealth, useReadiness } from './queries'

function Check({ label, state, ok }: { label: string; state: string; ok: boolean | undefined }) {
  return (
    <li>
      <span>{label}</span>{' '}
      <span className={`badge ${ok === undefined ? '' : ok ? 'ok' : 'fail'}`}>{state}</span>
    </li>
  )
}

export function ServerHealth() {
  const health = useHealth()
  const readiness = useReadiness()
  const checks = readiness.data?.checks
  return (
    <section aria-labelledby="home-server">
      <h2 id="home-server">Server</h2>
      <ul className="home-health" aria-label="Server health">
        <Check
          label="Serving"
          state={health.isPending ? 'checking…' : health.isSuccess ? 'ok' : 'down'}
          ok={health.isPending ? undefined : health.isSuccess}
        />
        <Check
          label="Ready"
          state={readiness.isPending ? 'checking…' : readiness.data?.status === 'ready' ? 'ready' : 'not ready'}
          ok={readiness.isPending ? undefined : readiness.data?.status === 'ready'}
        />
        {checks && <Check label="Metadata catalog" state={checks.metadata} ok={checks.metadata === 'ok'} />}
        {checks && <Check label="Object store" state={checks.storage} ok={checks.storage === 'ok'} />}
      </ul>
      {health.isError && <ErrorMessage error={health.error} />}
      {readiness.isError && <ErrorMessage error={readiness.error} />}
    </section>
  )
}
