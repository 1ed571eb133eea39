// Replaced by the foundation work: starts (or finds) the Temporal dev server and Postgres for the run.
export default async function setup(): Promise<void> {}
