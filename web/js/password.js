// Client-side password rules. The server is the authority (it rejects short passwords with
// VALIDATION_ERROR); these only give early feedback and a strength hint while typing.

export const PASSWORD_MIN = 8;

// Returns { score: 0..4, label } for a strength meter. Empty input scores 0 with no label.
export function passwordStrength(password) {
  const pw = String(password || '');
  if (pw.length === 0) return { score: 0, label: '' };
  if (pw.length < PASSWORD_MIN) return { score: 1, label: 'Too short' };
  let variety = 0;
  for (const re of [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/]) {
    if (re.test(pw)) variety += 1;
  }
  if (pw.length >= 14 && variety >= 3) return { score: 4, label: 'Strong' };
  if (pw.length >= 12 || variety >= 3) return { score: 3, label: 'Good' };
  return { score: 2, label: 'Fair' };
}

// Returns { field: 'password' | 'confirm', message } for the first problem, or null.
export function checkNewPassword(password, confirm) {
  if (!password) return { field: 'password', message: 'Enter a password.' };
  if (password.length < PASSWORD_MIN) {
    return { field: 'password', message: `Use at least ${PASSWORD_MIN} characters.` };
  }
  if (password !== confirm) return { field: 'confirm', message: 'The passwords do not match.' };
  return null;
}
