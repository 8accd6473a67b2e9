// Public API of the observability area; each file here is one concept.
export {};
