// Public API of the ingress area; each file here is one concept.
export {};
