// The roles of the product (src/core/principal.h), in the order the UI lists them.
export const ROLES = [
  'admin',
  'staff',
  'liaison',
  'org_admin',
  'org_member',
  'expert',
  'mediator',
  'gov_officer',
  'resident',
  'supervisor',
] as const;

/** Roles held for one organization: a grant of these names its org_id. */
export const ORG_ROLES = ['org_admin', 'org_member'];
