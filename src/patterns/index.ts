// L3 traffic patterns, built on MeshService: each attaches intents to the service it acts on.
export * from './pattern-route-options';
export * from './canary-service';
export * from './blue-green-service';
export * from './ab-test';
export * from './strangler-fig';
