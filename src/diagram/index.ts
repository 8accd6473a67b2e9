// Public API of the diagram area: Mermaid traffic diagrams of charts.
export * from './mermaid';
export * from './allow-graph';
export * from './traffic-diagram';
export * from './write';
