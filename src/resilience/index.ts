// Public API of the resilience area; each file here is one concept.
export {};
