// /files/{volume}/{prefix…}: one folder of a volume, what it holds, uploads into it, the volume's
// folder tree, and the selected object's details (?object=<key>, so a link can point at one object).
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { Link, useNavigate } from 'react-router'
import { invalidateVolume, useVolume } from '../api/queries'
import { useCapabilities } from '../auth/AuthProvider'
import { ErrorMessage } from '../ui/ErrorMessage'
import { formatBytes, formatCount } from '../ui/format'
import { FolderTree } from './FolderTree'
import { Listing } from './Listing'
import { DeleteObjectDialog, MoveObjectDialog } from './ObjectDialogs'
import { ObjectDetail } from './ObjectDetail'
import type { PickedFile } from './picked'
import { folderUrl, parentPrefix, prefixChain } from './paths'
import type { StoredObject } from './queries'
import { DropZone, UploadButtons } from './UploadPanel'
import { uploadQueue } from './uploadQueue'
import { DeleteVolumeDialog, NewFolderDialog, VolumeSettingsDialog } from './VolumeDialogs'

type OpenDialog =
  | { kind: 'delete'; object: StoredObject }
  | { kind: 'move'; object: StoredObject }
  | { kind: 'settings' }
  | { kind: 'delete-volume' }
  | { kind: 'new-folder' }

interface Props {
  volume: string
  /** '' for the volume's root, else ending in '/'. */
  prefix: string
  selectedKey?: string
}

export function VolumeView({ volume, prefix, selectedKey }: Props) {
  const info = useVolume(volume)
  const capabilities = useCapabilities()
  const canWrite = capabilities.volume(volume, 'writer')
  const isAdmin = capabilities.volume(volume, 'admin')
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const [dialog, setDialog] = useState<OpenDialog | null>(null)
  const close = () => setDialog(null)

  const upload = (files: PickedFile[]) =>
    uploadQueue.add(
      volume,
      files.map(({ file, path }) => ({ file, key: prefix + path })),
      () => invalidateVolume(queryClient, volume),
    )

  const location = `${volume}/${prefix}`
  return (
    <section className="files" aria-labelledby="volume-title">
      <div className="files-header">
        <h1 id="volume-title">{volume}</h1>
        {info.isSuccess && (
          <span className="muted">
            {formatCount(info.data.object_count)} objects, {formatBytes(info.data.size_bytes)}
            {info.data.description ? ` · ${info.data.description}` : ''}
          </span>
        )}
        <div className="toolbar files-actions">
          {canWrite && info.isSuccess && (
            <>
              <UploadButtons onFiles={upload} />
              <button type="button" onClick={() => setDialog({ kind: 'new-folder' })}>
                New folder
              </button>
            </>
          )}
          {isAdmin && info.isSuccess && (
            <button type="button" onClick={() => setDialog({ kind: 'settings' })}>
              Volume settings
            </button>
          )}
        </div>
      </div>
      <Breadcrumbs volume={volume} prefix={prefix} />
      {info.isError ? (
        <ErrorMessage error={info.error} />
      ) : (
        <div className={`files-body${selectedKey ? ' with-detail' : ''}`}>
          <FolderTree key={volume} volume={volume} prefix={prefix} />
          <DropZone enabled={canWrite} target={location} onFiles={upload}>
            <Listing
              key={location}
              volume={volume}
              prefix={prefix}
              selectedKey={selectedKey}
              onDelete={canWrite ? (object) => setDialog({ kind: 'delete', object }) : undefined}
              emptyHint={canWrite ? 'Drop files or folders here, or use Upload files.' : undefined}
            />
          </DropZone>
          {selectedKey && (
            <ObjectDetail
              key={selectedKey}
              volume={volume}
              objectKey={selectedKey}
              canWrite={canWrite}
              onClose={() => navigate(folderUrl(volume, prefix))}
              onDelete={(object) => setDialog({ kind: 'delete', object })}
              onMove={(object) => setDialog({ kind: 'move', object })}
            />
          )}
        </div>
      )}
      {dialog?.kind === 'delete' && (
        <DeleteObjectDialog
          volume={volume}
          object={dialog.object}
          onClose={close}
          onDeleted={(key) => {
            close()
            if (key === selectedKey) navigate(folderUrl(volume, prefix))
          }}
        />
      )}
      {dialog?.kind === 'move' && (
        <MoveObjectDialog
          volume={volume}
          object={dialog.object}
          onClose={close}
          onMoved={(target, key) => {
            close()
            navigate(folderUrl(target, parentPrefix(key), key))
          }}
        />
      )}
      {dialog?.kind === 'new-folder' && (
        <NewFolderDialog
          onClose={close}
          onCreate={(name) => {
            close()
            navigate(folderUrl(volume, `${prefix}${name}/`))
          }}
        />
      )}
      {dialog?.kind === 'settings' && info.isSuccess && (
        <VolumeSettingsDialog volume={info.data} onClose={close} onDelete={() => setDialog({ kind: 'delete-volume' })} />
      )}
      {dialog?.kind === 'delete-volume' && info.isSuccess && (
        <DeleteVolumeDialog volume={info.data} onClose={close} onDeleted={() => navigate('/files')} />
      )}
    </section>
  )
}

function Breadcrumbs({ volume, prefix }: { volume: string; prefix: string }) {
  const chain = [{ name: volume, prefix: '' }, ...prefixChain(prefix)]
  return (
    <nav aria-label="Folder path" className="files-breadcrumbs">
      <ol>
        <li>
          <Link to="/files">Volumes</Link>
        </li>
        {chain.map((step, index) => (
          <li key={step.prefix}>
            {index === chain.length - 1 ? (
              <span aria-current="page">{step.name}</span>
            ) : (
              <Link to={folderUrl(volume, step.prefix)}>{step.name}</Link>
            )}
          </li>
        ))}
      </ol>
    </nav>
  )
}
