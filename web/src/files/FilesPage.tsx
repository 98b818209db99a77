export default function FilesPage() {
  return <h1>Files</h1>
}
