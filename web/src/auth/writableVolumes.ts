// Where the caller may put objects: the volumes they hold writer on (every volume without
// authentication), in the volume list's order.
import { useVolumes } from '../api/queries'
import { useCapabilities } from './AuthProvider'

/** The names of the volumes the caller may write; none while the list loads or if it fails. */
export function useWritableVolumes(): string[] {
  const capabilities = useCapabilities()
  const volumes = useVolumes()
  return (volumes.data?.volumes ?? []).map((volume) => volume.name).filter((name) => capabilities.volume(name, 'writer'))
}
