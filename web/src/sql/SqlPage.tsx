export default function SqlPage() {
  return <h1>Sql</h1>
}
