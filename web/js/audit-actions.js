// Readable labels for audit log actions, in the order the Audit log filter lists them.
// Unknown actions (added by a newer server) fall back to the raw action name.

export const AUDIT_ACTIONS = [
  ['auth.login', 'Signed in'],
  ['auth.login_failed', 'Failed sign-in'],
  ['auth.logout', 'Signed out'],
  ['auth.password_changed', 'Password changed'],
  ['account.created', 'Account created'],
  ['settings.profile_updated', 'Profile updated'],
  ['token.generated', 'Integration token generated'],
  ['token.revoked', 'Integration token revoked'],
  ['token.first_use', 'Integration token first used'],
  ['token.new_ip', 'Token used from a new address'],
  ['token.expired_use', 'Expired token used'],
];

const LABELS = new Map(AUDIT_ACTIONS);

export function actionLabel(action) {
  return LABELS.get(action) || action;
}

// Actions that deserve attention in lists (badge colour / row highlight).
export function actionTone(action) {
  if (action === 'token.new_ip' || action === 'token.expired_use' || action === 'auth.login_failed') return 'warning';
  if (action === 'token.revoked') return 'danger';
  if (action === 'token.generated' || action === 'account.created') return 'success';
  return 'neutral';
}
