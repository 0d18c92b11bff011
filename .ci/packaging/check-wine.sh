# Part of .ci/release-check (sourced): the Windows installer and the Windows
# hub under Debian's Wine, in a throwaway prefix and home folder.
setup=$dist/casebook-$version-windows-x64-setup.exe
export HOME=$work/winehome WINEPREFIX=$work/wine WINEDEBUG=-all
# No Mono or Gecko downloads (there is no network to get them from), and no
# menu entries written into this machine's desktop.
export WINEDLLOVERRIDES="mscoree=;mshtml=;winemenubuilder.exe="
mkdir -p "$HOME"
# Even a silent installer makes (hidden) windows: Wine needs an X display.
Xvfb -displayfd 3 -screen 0 1024x768x24 -nolisten tcp 3>"$work/wine-display" >/dev/null 2>&1 &
xvfb=$!
for _ in $(seq 100); do [ -s "$work/wine-display" ] && break; sleep 0.1; done
export DISPLAY=:$(tr -d '[:space:]' <"$work/wine-display")
w() { timeout 180 wine "$@"; }
wineboot -i >/dev/null 2>&1
wineserver -w
# Go 1.24+ needs ProcessPrng from bcryptprimitives.dll, which Windows 10/11
# have and Wine 8.0 lacks; a stand-in for the test prefix only (never shipped).
x86_64-w64-mingw32-gcc -O2 -shared -s -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
  "$repo/.ci/packaging/wine-bcryptprimitives.c" -ladvapi32

# The exe's version resource and the installer's, in UTF-16 as Windows keeps them.
has_utf16() { python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); sys.exit(0 if sys.argv[2].encode("utf-16-le") in d else 1)' "$@"; }
has_utf16 "$setup" "$version" || die "the installer's version resource does not name $version"

winpath() { w cmd /c echo "$1" | tr -d '\r'; }
localappdata=$(winepath -u "$(winpath '%LOCALAPPDATA%')")
appdata=$(winepath -u "$(winpath '%APPDATA%')")
desktop=$(winepath -u "$(winpath '%USERPROFILE%')")/Desktop
instdir=$localappdata/Programs/Casebook
startmenu=$appdata/Microsoft/Windows/Start\ Menu/Programs

echo "--- on Windows 7 (Debian's Wine 8.0 pretends to be it) the installer refuses: Go needs 10"
rc=0
w "$setup" /S || rc=$?
wineserver -w
[ "$rc" = 2 ] && [ ! -e "$instdir" ] || die "on Windows 7 the installer exited $rc (want 2, aborted) or installed"
echo "ok: refused on Windows 7 (exit 2), nothing installed"
w winecfg -v win10
wineserver -w

echo "--- silent install (/S) on Windows 10, as a user without administrator rights"
w "$setup" /S
wineserver -w
for f in "$instdir/casebook.exe" "$instdir/uninstall.exe" "$instdir/使用说明.txt" \
  "$startmenu/治理书记台账.lnk" "$desktop/治理书记台账.lnk"; do
  [ -s "$f" ] || die "the installer did not make $f"
done
key='Software\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Uninstall\\\\org.casebook.app'
grep -A12 "^\[$key\]" "$WINEPREFIX/user.reg" >"$work/uninstall-key.txt" || die "no uninstall entry under HKCU"
grep -q "\"DisplayVersion\"=\"$version\"" "$work/uninstall-key.txt" || die "the uninstall entry does not say $version"
grep -q '"QuietUninstallString"' "$work/uninstall-key.txt" || die "no QuietUninstallString"
has_utf16 "$instdir/casebook.exe" "$version" || die "casebook.exe's version resource does not name $version"
has_utf16 "$instdir/casebook.exe" "治理书记台账 Casebook" || die "casebook.exe's version resource lacks the product name"
echo "ok: installed in $instdir; Start-menu and desktop shortcuts; HKCU uninstall entry $version"

echo "--- the installed program: version, demo casebook, metrics, workbook"
exe=$instdir/casebook.exe
expect_version casebook w "$exe"
w "$exe" demo
db=$appdata/casebook/casebook.db
[ -s "$db" ] || die "the demo casebook is not in %AppData%\\casebook"
w "$exe" metrics --json | tr -d '\r' | python3 -c 'import json,sys; m=json.load(sys.stdin); assert m["cases"] == 1200, m; print("ok: metrics:", m["cases"], "appeals")'
w "$exe" export --out 'C:\ledger.xlsx'
check_workbook "$WINEPREFIX/drive_c/ledger.xlsx"

echo "--- the Windows hub: version"
unzip -q "$dist/casebook-district-$version-windows-amd64.zip" -d "$work"
expect_version casebook-district w "$work/casebook-district-$version-windows-amd64/casebook-district.exe"
wineserver -w

echo "--- the window (Wine's OpenGL on Xvfb's GLX, Mesa's software renderer)"
wineserver -k 2>/dev/null || true
wineserver -w
SMOKE_WAIT=${SMOKE_WAIT_WINE:-20} SMOKE_OUT=$out/windows-window.png "$repo/.ci/window-smoke.sh" wine "$exe"
wineserver -k 2>/dev/null || true
wineserver -w

echo "--- silent uninstall: the program goes, the casebook stays"
w "$instdir/uninstall.exe" /S
wineserver -w
for f in "$instdir/casebook.exe" "$instdir/uninstall.exe" "$instdir" "$startmenu/治理书记台账.lnk" "$desktop/治理书记台账.lnk"; do
  [ ! -e "$f" ] || die "the uninstaller left $f"
done
grep -q "^\[$key\]" "$WINEPREFIX/user.reg" && die "the uninstaller left the uninstall entry"
[ -s "$db" ] || die "the uninstaller removed the casebook"
echo "ok: uninstalled; %AppData%\\casebook\\casebook.db kept ($(stat -c %s "$db") bytes)"
wineserver -k 2>/dev/null || true
kill "$xvfb" 2>/dev/null || true
wait "$xvfb" 2>/dev/null || true
