// A <select> of names, each option's value and text the name itself: volumes, tables.
import type { ReactNode, SelectHTMLAttributes } from 'react'

type Props = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange' | 'children'> & {
  names: string[]
  value: string
  onChange(name: string): void
  /** Options before the names (a placeholder). */
  children?: ReactNode
}

export function NameSelect({ names, value, onChange, children, ...rest }: Props) {
  return (
    <select {...rest} value={value} onChange={(event) => onChange(event.target.value)}>
      {children}
      {names.map((name) => (
        <option key={name} value={name}>
          {name}
        </option>
      ))}
    </select>
  )
}
