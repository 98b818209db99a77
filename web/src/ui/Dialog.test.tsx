import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { describe, expect, it } from 'vitest'
import { Dialog } from './Dialog'

function Opener() {
  const [open, setOpen] = useState(false)
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Rename
      </button>
      {open && (
        <Dialog title="Rename the thing" onClose={() => setOpen(false)}>
          <input aria-label="New name" autoFocus />
          <button type="button" onClick={() => setOpen(false)}>
            Done
          </button>
        </Dialog>
      )}
    </>
  )
}

describe('Dialog', () => {
  it('gives focus back to what opened it, however it closes', async () => {
    const user = userEvent.setup()
    render(<Opener />)
    const opener = screen.getByRole('button', { name: 'Rename' })

    await user.click(opener)
    const dialog = screen.getByRole('dialog', { name: 'Rename the thing' })
    expect(dialog).toHaveAttribute('open')
    expect(screen.getByRole('textbox', { name: 'New name' })).toHaveFocus()
    await user.click(screen.getByRole('button', { name: 'Done' }))
    expect(dialog).not.toBeInTheDocument()
    expect(opener).toHaveFocus()

    await user.click(opener)
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    expect(opener).toHaveFocus()
  })
})
