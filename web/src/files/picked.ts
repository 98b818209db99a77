// Files the user hands over, by drop or by picker, each with its path relative to what was picked
// ('photos/2026/a.jpg' for a dropped folder 'photos'), so a folder keeps its layout as keys.

export interface PickedFile {
  file: File
  /** '/'-separated, without a leading '/'. */
  path: string
}

/** What a drop carried, folders walked. Call it inside the drop handler: a DataTransfer's entries
 *  can only be taken while the event is being handled (the walk itself may finish later). */
export function filesFromDrop(transfer: DataTransfer): Promise<PickedFile[]> {
  const items = Array.from(transfer.items ?? []).filter((item) => item.kind === 'file')
  const entries = items.map((item) => item.webkitGetAsEntry?.() ?? null)
  if (entries.length === 0 || entries.some((entry) => entry === null)) {
    // No entry API (or something that is not a file system entry): the plain files, no folders.
    return Promise.resolve(Array.from(transfer.files ?? []).map((file) => ({ file, path: file.name })))
  }
  return walkAll(entries as FileSystemEntry[])
}

async function walkAll(entries: FileSystemEntry[]): Promise<PickedFile[]> {
  const found: PickedFile[] = []
  for (const entry of entries) await walk(entry, '', found)
  return found
}

async function walk(entry: FileSystemEntry, parent: string, found: PickedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject))
    found.push({ file, path: parent + entry.name })
  } else if (entry.isDirectory) {
    const reader = (entry as FileSystemDirectoryEntry).createReader()
    // readEntries answers in batches (100 in Chrome) until it answers an empty one.
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject))
      if (batch.length === 0) break
      for (const child of batch) await walk(child, `${parent}${entry.name}/`, found)
    }
  }
}

/** The files of an <input type=file>; a folder picker gives each its path inside the folder. */
export function filesFromInput(files: FileList | null): PickedFile[] {
  return Array.from(files ?? []).map((file) => ({ file, path: file.webkitRelativePath || file.name }))
}
