// The Files section: /files lists the volumes, /files/{volume}/{prefix…} browses one.
import { useParams, useSearchParams } from 'react-router'
import { normalizePrefix } from './paths'
import { UploadPanel } from './UploadPanel'
import { VolumeList } from './VolumeList'
import { VolumeView } from './VolumeView'
import './files.css'

export default function FilesPage() {
  const { volume, '*': path } = useParams()
  const [search] = useSearchParams()
  return (
    <>
      {volume ? (
        <VolumeView volume={volume} prefix={normalizePrefix(path)} selectedKey={search.get('object') ?? undefined} />
      ) : (
        <VolumeList />
      )}
      <UploadPanel />
    </>
  )
}
