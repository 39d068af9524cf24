// Connection configs: each provider's schema lives in its descriptor; the union derives from the list.
export { connectionSchema, type ConnectionConfig, type ConnectionOf } from './descriptors.js';
export { cobaltConnection } from './cobalt/descriptor.js';
export { mailtrapConnection } from './mailtrap/descriptor.js';
export { tritonConnection } from './triton/descriptor.js';
export { vaultoroConnection } from './vaultoro/descriptor.js';
export { vectorchartsConnection } from './vectorcharts/descriptor.js';
