// Name/value pairs (tags, user metadata) as rows of inputs. Rows stay in the order typed; a row
// with an empty name is left out when saved.

export interface Pair {
  name: string
  value: string
}

export function toPairs(record: Record<string, string>): Pair[] {
  return Object.entries(record).map(([name, value]) => ({ name, value }))
}

export function toRecord(pairs: Pair[]): Record<string, string> {
  const record: Record<string, string> = {}
  for (const pair of pairs) if (pair.name.trim() !== '') record[pair.name.trim()] = pair.value
  return record
}

/** The name given twice, if any: the server would refuse it, and only one value could win. */
export function duplicateName(pairs: Pair[]): string | undefined {
  const seen = new Set<string>()
  for (const pair of pairs) {
    const name = pair.name.trim()
    if (name === '') continue
    if (seen.has(name)) return name
    seen.add(name)
  }
  return undefined
}

interface Props {
  /** What a pair is called: "tag", "metadata entry". */
  noun: string
  pairs: Pair[]
  onChange(pairs: Pair[]): void
  disabled?: boolean
}

export function KeyValueFields({ noun, pairs, onChange, disabled }: Props) {
  const set = (index: number, patch: Partial<Pair>) =>
    onChange(pairs.map((pair, at) => (at === index ? { ...pair, ...patch } : pair)))
  return (
    <div className="files-pairs">
      {pairs.length === 0 && <p className="muted">None.</p>}
      {pairs.map((pair, index) => (
        <div className="files-pair" key={index}>
          <input
            aria-label={`Name of ${noun} ${index + 1}`}
            placeholder="name"
            value={pair.name}
            disabled={disabled}
            onChange={(event) => set(index, { name: event.target.value })}
          />
          <input
            aria-label={`Value of ${noun} ${index + 1}`}
            placeholder="value"
            value={pair.value}
            disabled={disabled}
            onChange={(event) => set(index, { value: event.target.value })}
          />
          <button
            type="button"
            aria-label={`Remove ${noun} ${pair.name || index + 1}`}
            disabled={disabled}
            onClick={() => onChange(pairs.filter((_, at) => at !== index))}
          >
            ✕
          </button>
        </div>
      ))}
      <button type="button" disabled={disabled} onClick={() => onChange([...pairs, { name: '', value: '' }])}>
        Add {noun}
      </button>
    </div>
  )
}
