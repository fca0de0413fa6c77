// Shapes of the API replies the pages use (see GET /api/v1/openapi.json).

export interface Me {
  id: number;
  username: string;
  display_name: string;
  roles: string[];
  jurisdiction: string;
  org_ids: number[];
  member_org_ids: number[];
  must_change_password?: boolean;
  totp_enabled?: boolean;
  csrf_token?: string;
}

export interface SessionReply {
  user: Me;
  csrf_token: string;
  expires_at: number;
}

/** A code with its label in the caller's language (registry options, divisions). */
export interface Option {
  code: string;
  label: string;
}

export interface Org {
  id: number;
  name: string;
  short_name?: string | null;
  credit_code?: string | null;
  type?: string;
  street_code?: string | null;
  street_name?: string | null;
  community_code?: string | null;
  community_name?: string | null;
  address?: string | null;
  legal_representative?: string | null;
  contact_person?: string | null;
  contact_phone?: string | null;
  contact_email?: string | null;
  founded_on?: string | null;
  registration_authority?: string | null;
  supervising_unit?: string | null;
  description?: string | null;
  status?: string;
  current_grade?: string | null;
  private_access?: boolean;
  fields?: string[];
  tags?: string[];
  staff_count?: number | null;
  volunteer_count?: number | null;
  annual_budget?: number | null;
  has_party_org?: boolean;
  archived?: boolean;
  version: number;
  created_at?: number;
  updated_at?: number;
  [key: string]: unknown;
}

/** A person of the registry. phone/email/id_number come masked when pii is false. */
export interface Person {
  id: number;
  name: string;
  gender?: string | null;
  phone?: string | null;
  email?: string | null;
  id_number?: string | null;
  uf_category?: string | null;
  note?: string | null;
  version: number;
  pii?: boolean;
  orgs: { org_id: number; org_name: string; role_title?: string | null; since?: string | null }[];
  [key: string]: unknown;
}

export interface RoleGrant {
  role: string;
  org_id?: number;
}

export interface ApiToken {
  id: number;
  name: string;
  role: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
  token?: string; // only in the reply that created it
}

export interface User {
  id: number;
  username: string;
  display_name: string;
  email: string | null;
  phone: string | null;
  status: 'active' | 'disabled';
  jurisdiction: string;
  roles: RoleGrant[];
  totp_enabled: boolean;
  must_change_password: boolean;
  last_login_at: number | null;
  version: number;
  tokens?: ApiToken[];
}

export interface AuditRecord {
  id: number;
  at: number;
  actor_id: number;
  actor_name: string;
  actor_roles: string[];
  remote_addr: string | null;
  action: string;
  object_type: string;
  object_id: number;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface AuditVerify {
  ok: boolean;
  records: number;
  first_bad_id: number | null;
  problem: string | null;
  head_id: number;
  head_hash: string;
}

export interface ImportReport {
  dry_run: boolean;
  total_rows: number;
  valid_rows: number;
  imported: number;
  encoding?: string;
  stopped?: boolean;
  errors: { row: number | null; column: string | null; field: string | null; message: string }[];
  errors_omitted: number;
}

export interface ImportJob {
  id: number;
  status: 'running' | 'done' | 'failed';
  dry_run: boolean;
  processed: number | null;
  total: number | null;
  report: ImportReport | null;
}
