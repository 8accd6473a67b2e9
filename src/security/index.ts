// Public API of the security area; each file here is one concept.
export {};
