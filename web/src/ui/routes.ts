// The app's page URLs, for every feature that links to another's pages. Object keys keep their
// '/' as path separators; every other part is percent-encoded.
import { encodeKey } from '../api/client'

/** The folder a key or folder prefix is in: '' for the volume's root. */
export function parentPrefix(keyOrPrefix: string): string {
  const trimmed = keyOrPrefix.endsWith('/') ? keyOrPrefix.slice(0, -1) : keyOrPrefix
  const slash = trimmed.lastIndexOf('/')
  return slash < 0 ? '' : trimmed.slice(0, slash + 1)
}

/** The page of a volume's folder, optionally with an object's details open. */
export function folderUrl(volume: string, prefix = '', object?: string): string {
  const path = `/files/${encodeURIComponent(volume)}/${encodeKey(prefix)}`
  return object === undefined ? path : `${path}?${new URLSearchParams({ object })}`
}

/** An object's page: its folder, with its details open. */
export function objectUrl(volume: string, key: string): string {
  return folderUrl(volume, parentPrefix(key), key)
}
