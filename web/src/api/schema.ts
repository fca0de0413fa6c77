// The API's types, generated from the OpenAPI document (docs/openapi/*.json) into openapi.gen.ts
// by scripts/openapi-types.mjs before every type check and build. The names below are short
// aliases of the document's schemas or of an operation's reply, never shapes written by hand:
// when the document changes, vue-tsc shows every page the change breaks.
import type { components, paths } from './openapi.gen';

export type { components, paths };
export type Schemas = components['schemas'];

type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type Responses<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R } ? R : never;

/** The JSON reply of an operation, e.g. Reply<'/api/v1/audit/verify', 'get'> (status 200 unless given). */
export type Reply<P extends keyof paths, M extends keyof paths[P], S extends number = 200> =
  S extends keyof Responses<P, M> ? JsonOf<Responses<P, M>[S]> : never;

/** The JSON request body of an operation, e.g. RequestBody<'/api/v1/orgs', 'post'>. */
export type RequestBody<P extends keyof paths, M extends keyof paths[P]> =
  paths[P][M] extends { requestBody?: infer B } ? JsonOf<NonNullable<B>> : never;

export type Problem = Schemas['Problem'];
export type Me = Schemas['Me'];
export type SessionReply = Reply<'/api/v1/session', 'post'>;
export type Org = Schemas['Org'];
export type OrgInput = Schemas['OrgInput'];
export type OrgListItem = Schemas['OrgListItem'];
export type Person = Schemas['Person'];
export type RoleGrant = Schemas['RoleGrant'];
export type ApiToken = Schemas['ApiToken'];
export type User = Schemas['User'];
export type AuditRecord = Schemas['AuditRecord'];
export type AuditVerify = Reply<'/api/v1/audit/verify', 'get'>;
export type ImportReport = Schemas['ImportReport'];
export type ImportJob = Schemas['ImportJob'];
export type RegistryOptions = Schemas['RegistryOptions'];
export type Divisions = Schemas['Divisions'];
