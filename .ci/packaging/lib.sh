# Shared by .ci/release and .ci/release-check (sourced, not run).

step() { printf '\n==> %s\n' "$*"; }
die() { echo "release: $*" >&2; exit 1; }

# as_root runs a command as root (sudo when not root already).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# ensure_packages PKG... installs the Debian packages (PKG or PKG:ARCH) that
# are missing; arm64 ones need the architecture added first. Nothing is
# installed when everything is there, so a developer's machine is left alone.
ensure_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  if printf '%s\n' "${missing[@]}" | grep -q ':arm64$' && ! dpkg --print-foreign-architectures | grep -qx arm64; then
    as_root dpkg --add-architecture arm64
  fi
  echo "installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# expect_version NAME COMMAND...: COMMAND --version prints "NAME version $version".
expect_version() {
  local want=$1 got
  shift
  got=$("$@" --version 2>&1 | tr -d '\r') || die "$* --version failed: $got"
  [ "$got" = "$want version $version" ] || die "$* --version said '$got', want '$want version $version'"
  echo "ok: $got"
}

# check_workbook FILE: the exported ledger has its sheets and the 说明 sheet
# names this version. Debian's python3 (python3-openpyxl), whatever python3
# comes first on the PATH.
check_workbook() {
  /usr/bin/python3 - "$1" "$version" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
names = wb.sheetnames
for want in ("诉求台账", "三率统计", "说明"):
    assert want in names, f"{sys.argv[1]}: no sheet {want} in {names}"
def rows(name):  # read-only sheets trust the declared dimension: look past it
    ws = wb[name]
    ws.reset_dimensions()
    return list(ws.iter_rows(values_only=True))
ledger = len(rows("诉求台账")) - 1
notes = " ".join(str(c) for row in rows("说明") for c in row if c)
assert "Casebook " + sys.argv[2] in notes, f"说明 does not name version {sys.argv[2]}"
print(f"ok: {sys.argv[1]}: {len(names)} sheets, {ledger} ledger rows, version {sys.argv[2]} in 说明")
EOF
}

# The Debian packages the release build needs: Go comes from the machine.
# gcc-mingw-w64-x86-64 builds the Windows app (cgo) and windres its
# resources; nsis the installer; gcc-aarch64-linux-gnu and the arm64 -dev
# libraries the arm64 app (Fyne's GLFW links GL and X11); dpkg-dev gives
# dpkg-shlibdeps, which derives each .deb's Depends from the libraries its
# binary links; imagemagick makes the Windows icon; zip the Windows hub archive.
RELEASE_BUILD_PACKAGES=(
  gcc libgl1-mesa-dev xorg-dev
  gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 nsis
  gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
  libc6-dev:arm64 libgl-dev:arm64 libx11-dev:arm64 libxcursor-dev:arm64 libxrandr-dev:arm64
  libxinerama-dev:arm64 libxi-dev:arm64 libxxf86vm-dev:arm64
  dpkg-dev imagemagick zip
)
