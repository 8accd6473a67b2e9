// Public API of the egress area; each file here is one concept.
export {};
