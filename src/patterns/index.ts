// Public API of the patterns area; each file here is one concept.
export {};
