// A modal <dialog> with its title as heading and name. It is mounted while open and unmounted to
// close, so its state goes with it.
import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react'

export function Dialog({
  title,
  onClose,
  children,
  wide = false,
}: {
  title: string
  onClose(): void
  children: ReactNode
  wide?: boolean
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()

  useEffect(() => {
    const dialog = ref.current!
    if (dialog.open) return
    // jsdom, which the component tests run in, has no showModal: there it opens as a plain dialog.
    if (typeof dialog.showModal === 'function') dialog.showModal()
    else dialog.setAttribute('open', '')
  }, [])

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault()
      onClose()
    }
  }

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      className={`tables-dialog${wide ? ' wide' : ''}`}
      onKeyDown={onKeyDown}
      // Escape is handled above; the browser's own close must not leave React's state behind.
      onCancel={(event) => event.preventDefault()}
      onClose={onClose}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  )
}

/** A yes/no question before something that cannot be undone. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  busy,
  error,
  onConfirm,
  onClose,
}: {
  title: string
  children: ReactNode
  confirmLabel: string
  busy: boolean
  error?: ReactNode
  onConfirm(): void
  onClose(): void
}) {
  return (
    <Dialog title={title} onClose={onClose}>
      {children}
      {error}
      <div className="dialog-actions">
        <button type="button" onClick={onClose} autoFocus>
          Cancel
        </button>
        <button type="button" className="danger" onClick={onConfirm} disabled={busy}>
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </Dialog>
  )
}
