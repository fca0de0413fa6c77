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
