// A modal <dialog> with its title as heading and name. It is open while it is rendered (mounted to
// open, unmounted to close, so its state goes with it); Escape closes it. On close, focus goes back
// to what had it when the dialog opened, usually the button that opened it.
import { useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react'

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
  // Read while rendering: by the time effects run, an autoFocus inside has taken the focus.
  const [opener] = useState(() => document.activeElement)

  // A layout effect: focus goes back before the browser paints the page without the dialog.
  useLayoutEffect(() => {
    const dialog = ref.current!
    // jsdom, which the component tests run in, has no showModal: there it opens as a plain dialog.
    if (typeof dialog.showModal === 'function') {
      if (!dialog.open) dialog.showModal()
    } else {
      dialog.setAttribute('open', '')
    }
    return () => {
      if (typeof dialog.close === 'function' && dialog.open) dialog.close()
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus()
    }
  }, [opener])

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      className={`dialog${wide ? ' wide' : ''}`}
      onCancel={(event) => {
        // React state decides whether the dialog is shown, not the browser.
        event.preventDefault()
        onClose()
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault()
          onClose()
        }
      }}
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
