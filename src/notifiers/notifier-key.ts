/**
 * Who sent a case, as one key: `agency:<id>` when the notice came with an agency key, else `email:<keyed hash>` of
 * the complainant's address (PersonalData.hashEmail: the structured contact, else the first notice's sender). Never
 * a plaintext address. Null for a case with neither.
 */
export function notifierKeySql(c: string): string {
  return `(CASE WHEN ${c}.agency_id IS NOT NULL THEN 'agency:' || ${c}.agency_id::text
   ELSE 'email:' || COALESCE(
     (SELECT p.email_hash FROM parties p
      WHERE p.case_id = ${c}.id AND p.role = 'complainant' AND p.email_hash IS NOT NULL ORDER BY p.id LIMIT 1),
     (SELECT n.sender_email_hash FROM notices n
      WHERE n.case_id = ${c}.id AND n.sender_email_hash IS NOT NULL ORDER BY n.received_at, n.id LIMIT 1))
   END)`;
}

/**
 * A WHERE clause on `cases ${c}` that narrows to the cases a key may be the notifier of, by index (agency_id, the
 * parties' and notices' address hashes), with the key as `$${param}`; the exact key is compared after.
 */
export function notifierCasesSql(c: string, param: number): string {
  return `(CASE WHEN $${param}::text LIKE 'agency:%'
     THEN ${c}.agency_id::text = substr($${param}::text, 8)
     ELSE ${c}.agency_id IS NULL AND (
       EXISTS (SELECT 1 FROM parties p WHERE p.case_id = ${c}.id AND p.email_hash = substr($${param}::text, 7))
       OR EXISTS (SELECT 1 FROM notices n WHERE n.case_id = ${c}.id AND n.sender_email_hash = substr($${param}::text, 7)))
   END) AND ${notifierKeySql(c)} = $${param}::text`;
}

/** The shape of a notifier key. */
export const NOTIFIER_KEY = /^(agency:[0-9a-f-]{36}|email:[A-Za-z0-9_-]{20,100})$/;

export function isNotifierKey(key: string): boolean {
  return NOTIFIER_KEY.test(key);
}
