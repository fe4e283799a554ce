/** The password does not open this vault text (Ansible's HMAC or Rosey's GCM tag failed). */
export class WrongPasswordError extends Error {
  constructor() {
    super('the vault password is wrong');
    this.name = 'WrongPasswordError';
  }
}

/** The text looks like a vault but cannot be one (cut, edited by hand, unknown version). */
export class VaultFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaultFormatError';
  }
}
