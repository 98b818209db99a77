import { useState } from 'react'
import { useSearchParams } from 'react-router'

/** A text box bound to a query parameter: typing rewrites the URL in place (no history entry per
 *  key), and a URL changed from outside (the header's search box, back/forward) refills the box. */
export function useSearchParamText(name: string): [string, (text: string) => void] {
  const [params, setParams] = useSearchParams()
  const fromUrl = params.get(name) ?? ''
  const [text, setText] = useState(fromUrl)
  const [written, setWritten] = useState(fromUrl)
  if (fromUrl !== written) {
    setWritten(fromUrl)
    setText(fromUrl)
  }
  const update = (next: string) => {
    setText(next)
    setWritten(next)
    setParams(
      (previous) => {
        const updated = new URLSearchParams(previous)
        if (next) updated.set(name, next)
        else updated.delete(name)
        return updated
      },
      { replace: true },
    )
  }
  return [text, update]
}
