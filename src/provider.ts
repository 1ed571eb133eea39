/**
 * The mail providers mailsync syncs. Declared here, beneath every layer (workflows, activities,
 * providers, rules, db), so each imports it and none declares its own.
 */
export type Provider = 'gmail' | 'outlook';
