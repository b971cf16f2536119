// Runtime checks for what the server sends: the shared schemas, one per event. An
// event that does not parse is dropped, never half-trusted.
import { PlanEventSchemas } from '../../src-shared/plans';
import { ServerEventSchemas } from '../../src-shared/protocol';

export const inbound = { ...ServerEventSchemas, ...PlanEventSchemas };
