# Sourced by the scripts that need root (they boot systemd-nspawn hosts and
# install Debian packages): run as root, or re-run through sudo when the user
# has it. A fresh Debian where you are root and sudo is not installed works too.
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    exec sudo --preserve-env=PATH,CI,ROSEY_TESTBED_SLOT,ROSEY_TESTBED_KEEP,ROSEY_VAULT_PASSWORD_FILE bash "$PWD/scripts/$(basename "$0")" "$@"
  fi
  echo "$(basename "$0"): needs root (it boots local test hosts); run it as root, or install sudo" >&2
  exit 1
fi
