// Runtime checks for what the server sends: the shared schemas, one per event. An
// event that does not parse is dropped, never half-trusted.
export { ServerEventSchemas as inbound } from '../../src-shared/protocol';
