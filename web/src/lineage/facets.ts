// Facets are open-ended OpenLineage objects (the schema types them as empty records): these read
// the few the pages show, checking each value's type instead of trusting it.
type Facets = Record<string, unknown>
interface WithFacets {
  facets?: object
}

function facet(facets: object | undefined, name: string): Facets | undefined {
  const value = (facets as Facets | undefined)?.[name]
  return value && typeof value === 'object' ? (value as Facets) : undefined
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** Why a failed run failed (`errorMessage` run facet). */
export function runError(run: WithFacets): string | undefined {
  return text(facet(run.facets, 'errorMessage')?.message)
}

/** INGEST, QUERY, DDL, EXPORT, … (`jobType` job facet). */
export function jobType(job: WithFacets): string | undefined {
  return text(facet(job.facets, 'jobType')?.jobType)
}

/** The statement(s) a SQL job ran (`sql` job facet). */
export function jobSql(job: WithFacets): string | undefined {
  return text(facet(job.facets, 'sql')?.query)
}

/** `ducklake` for lake tables, `object_store` for objects (`storage` dataset facet). */
export function storageLayer(dataset: WithFacets): string | undefined {
  return text(facet(dataset.facets, 'storage')?.storageLayer)
}

/** The error message a FAIL event carries, from an event as the log keeps it. */
export function eventRunError(event: { run?: WithFacets }): string | undefined {
  return text(facet(event.run?.facets, 'errorMessage')?.message)
}
