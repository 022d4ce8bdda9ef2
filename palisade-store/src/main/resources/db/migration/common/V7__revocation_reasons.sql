-- Why a certificate was revoked (RevocationReason's wire name), published as the CRL entry's reasonCode.
-- Null for certificates not revoked, and for revocations stored before this column (published as unspecified).
ALTER TABLE certificates ADD COLUMN revocation_reason TEXT;
