export default function LineagePage() {
  return <h1>Lineage</h1>
}
